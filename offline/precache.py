"""The service worker's precache lists, made from a built site's files and their hashes.

Two lists, because a reader should not pay for the tools before reading:

* ``pages``: every page, asset and the search index; the worker installs them all
  before it takes over, in a cache named after the build's ``version``;
* ``runtime``: Pyodide, its standard library, the lock file and the engine wheel
  (``pyodide/``), fetched on the first visit to a tool page or in the background once
  the pages are in. Their names are versioned, so they outlive a deploy unchanged.

Each file carries its size (the page shows how large the offline copy is) and a
SHA-256 prefix (the worker checks what it downloads, and reuses unchanged files
from the previous version's cache). ``version`` hashes all of it and the worker's
own source, so any change to the site makes a new worker and new caches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RUNTIME_PREFIX = "pyodide/"
# The service worker itself is written after the list is made and is never cached.
WORKER_FILE = "sw.js"
# Source maps are for developers, the gzipped sitemap for crawlers: nobody reads them offline.
SKIPPED_SUFFIXES = (".map", ".xml.gz")
# Material's search worker loads these Lunr files only for languages other than
# English (its setupSearchLanguages): the others stay out of the offline copy.
LUNR_DIR = "assets/javascripts/lunr/"
LUNR_FOR_LANGUAGE = {"ja": ("tinyseg.js",), "th": ("wordcut.js",)}
SEARCH_INDEX = "search/search_index.json"
DIGEST_CHARS = 16


@dataclass(frozen=True)
class CachedFile:
    """One file of the site as the worker caches it.

    Attributes:
        path: Its URL relative to the site root, as a link names it: a page's folder
            (``"tools/compute/"``, ``"./"`` for the home page) or a file's path.
        size: Bytes on disk (uncompressed).
        digest: The first characters of the SHA-256 of its bytes, hex.
    """

    path: str
    size: int
    digest: str


@dataclass(frozen=True)
class Precache:
    """What the service worker of one build caches.

    Attributes:
        version: Hash of every listed file and of the worker's source.
        pages: The pages, their assets and the search index.
        runtime: The files under ``pyodide/``.
    """

    version: str
    pages: tuple[CachedFile, ...]
    runtime: tuple[CachedFile, ...]

    def to_json(self) -> dict[str, object]:
        """The lists as the worker reads them: ``[path, size, digest]`` triples."""
        return {
            "version": self.version,
            "pages": [[f.path, f.size, f.digest] for f in self.pages],
            "runtime": [[f.path, f.size, f.digest] for f in self.runtime],
        }


def url_path(relative: str) -> str:
    """The URL a link uses for a site file: ``a/index.html`` is served as ``a/``.

    Args:
        relative: The file's path relative to the site root, with ``/`` separators.

    Returns:
        The path the worker caches it under (relative to the site root).
    """
    if relative == "index.html":
        return "./"
    if relative.endswith("/index.html"):
        return relative.removesuffix("index.html")
    return relative


def lunr_files(languages: Iterable[str]) -> frozenset[str]:
    """The files under ``assets/javascripts/lunr/`` that Material's search loads.

    Args:
        languages: The search index's languages (``config.lang`` in the index).

    Returns:
        Paths relative to the site root; empty for English alone.
    """
    others = [lang for lang in languages if lang != "en"]
    if not others:
        return frozenset()
    names = ["min/lunr.stemmer.support.min.js"]
    names += [f"min/lunr.{lang}.min.js" for lang in others]
    names += [name for lang in others for name in LUNR_FOR_LANGUAGE.get(lang, ())]
    if len(others) + ("en" in languages) > 1:
        names.append("min/lunr.multi.min.js")
    return frozenset(LUNR_DIR + name for name in names)


def search_languages(site_dir: Path) -> list[str]:
    """The languages of the built search index (English if there is no index)."""
    index = Path(site_dir) / SEARCH_INDEX
    if not index.is_file():
        return ["en"]
    config = json.loads(index.read_text(encoding="utf-8")).get("config", {})
    languages = config.get("lang", ["en"])
    return [languages] if isinstance(languages, str) else list(languages)


def build_precache(site_dir: Path, worker_source: bytes) -> Precache:
    """List a built site's files for the service worker.

    Args:
        site_dir: The built site.
        worker_source: The worker's code (part of the version: a new worker is a new
            version even when no file of the site changed).

    Returns:
        The two lists, sorted by path, and the version.
    """
    site_dir = Path(site_dir)
    wanted_lunr = lunr_files(search_languages(site_dir))
    pages: list[CachedFile] = []
    runtime: list[CachedFile] = []
    for file in sorted(site_dir.rglob("*")):
        relative = file.relative_to(site_dir).as_posix()
        if not file.is_file() or not _is_offline(relative, wanted_lunr):
            continue
        data = file.read_bytes()
        entry = CachedFile(
            url_path(relative), len(data), hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]
        )
        (runtime if relative.startswith(RUNTIME_PREFIX) else pages).append(entry)
    version = hashlib.sha256(worker_source)
    for entry in (*pages, *runtime):
        version.update(f"\0{entry.path}\0{entry.digest}".encode())
    return Precache(version.hexdigest()[:DIGEST_CHARS], tuple(pages), tuple(runtime))


def _is_offline(relative: str, wanted_lunr: frozenset[str]) -> bool:
    if relative == WORKER_FILE or relative.endswith(SKIPPED_SUFFIXES):
        return False
    if any(part.startswith(".") for part in relative.split("/")):
        return False
    return not relative.startswith(LUNR_DIR) or relative in wanted_lunr

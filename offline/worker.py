"""Writes the service worker into a built site: its precache lists, then its code."""

from __future__ import annotations

import json
from pathlib import Path

from offline import CONTENT_SECURITY_POLICY
from offline.precache import WORKER_FILE, Precache, build_precache

WORKER_SOURCE = Path(__file__).with_name("service-worker.js")


def write_service_worker(site_dir: Path, csp: str = CONTENT_SECURITY_POLICY) -> Precache:
    """List the site's files and write ``sw.js`` at its root.

    Run it last: every file the site serves must be in place (the search index, the
    browser runtime, the app manifest), since what is not listed is not offline.

    Args:
        site_dir: The built site.
        csp: The Content-Security-Policy the worker adds to every response it serves.

    Returns:
        What the worker caches.
    """
    source = WORKER_SOURCE.read_text(encoding="utf-8")
    precache = build_precache(Path(site_dir), f"{csp}\0{source}".encode())
    build = json.dumps({**precache.to_json(), "csp": csp}, separators=(",", ":"))
    (Path(site_dir) / WORKER_FILE).write_text(
        f"const BUILD = {build};\n\n{source}", encoding="utf-8"
    )
    return precache

"""The build step that ships the engine to the browser: Pyodide, its library, our wheel.

Three artefacts, each cached under ``.cache/calculator/`` and keyed by the hash of
what it is made from, so an unchanged build reuses them:

* the pinned Pyodide core, copied from ``node_modules/pyodide`` as it is;
* Pyodide's standard library compiled to ``.pyc`` by Pyodide's own Python under Node
  (``compile_pyc.mjs``): start-up no longer compiles every imported module;
* the ``decision-engine`` wheel built from this repository, its modules compiled the
  same way into its ``__pycache__``, added with its sha256 to a copy of Pyodide's lock
  file by ``pyodide lockfile add-wheels``, so
  ``loadPyodide({packages: ["decision-engine"]})`` fetches and checks it.

In the site everything lives under ``pyodide/<version>/``; the parts whose bytes can
change without a new Pyodide version carry their key in their name, so every file
there can be served as immutable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# The files of the npm package the page loads (the stdlib zip and the lock file are
# replaced by ours; the rest of the package is for Node or for debugging).
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
PACKAGE_NAME = "decision-engine"
_HERE = Path(__file__).resolve().parent
_COMPILE_SCRIPT = _HERE / "compile_pyc.mjs"


class RuntimeBuildError(RuntimeError):
    """A step of the browser runtime's build failed; the message says what to do.

    Attributes:
        step: Which step failed (``"node_modules"``, ``"stdlib"``, ``"wheel"``, ``"lock"``).
    """

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step


@dataclass(frozen=True)
class BrowserRuntime:
    """The prepared runtime: where its files are and the URLs they get in the site.

    Attributes:
        version: The pinned Pyodide version, e.g. ``"314.0.7"``.
        core_dir: ``node_modules/pyodide``.
        stdlib_zip: The cached ``.pyc`` standard library.
        engine_dir: The cached directory holding our lock file and wheel.
    """

    version: str
    core_dir: Path
    stdlib_zip: Path
    engine_dir: Path

    @property
    def index_path(self) -> str:
        """The runtime's folder, relative to the site root (ends in ``/``)."""
        return f"pyodide/{self.version}/"

    @property
    def stdlib_path(self) -> str:
        """The standard library zip, relative to the site root."""
        return self.index_path + self.stdlib_zip.name

    @property
    def lock_path(self) -> str:
        """The lock file that lists our wheel, relative to the site root."""
        return f"{self.index_path}{self.engine_dir.name}/pyodide-lock.json"

    def install(self, site_dir: Path) -> None:
        """Copy the runtime into a built site.

        Args:
            site_dir: The site's output directory.
        """
        target = Path(site_dir) / self.index_path
        (target / self.engine_dir.name).mkdir(parents=True, exist_ok=True)
        for name in CORE_FILES:
            _copy(self.core_dir / name, target / name)
        _copy(self.stdlib_zip, target / self.stdlib_zip.name)
        for item in self.engine_dir.iterdir():
            _copy(item, target / self.engine_dir.name / item.name)


def _copy(source: Path, target: Path) -> None:
    # `mkdocs serve --dirty` keeps the site between rebuilds: the runtime's megabytes
    # are copied again only if they changed (copy2 keeps the time this compares).
    here, there = source.stat(), target.stat() if target.exists() else None
    if there is None or (there.st_size, there.st_mtime_ns) != (here.st_size, here.st_mtime_ns):
        shutil.copy2(source, target)


def prepare_runtime(project_dir: Path) -> BrowserRuntime:
    """Build (or reuse from the cache) everything the page needs to run the engine.

    Args:
        project_dir: The repository root (where ``mkdocs.yml`` and ``node_modules`` are).

    Returns:
        The prepared runtime.

    Raises:
        RuntimeBuildError: A tool or input is missing, or a step failed; the message
            names the fix.
    """
    project_dir = Path(project_dir).resolve()
    core_dir = project_dir / "node_modules" / "pyodide"
    manifest = core_dir / "package.json"
    if not all((core_dir / name).is_file() for name in (*CORE_FILES, "package.json")):
        raise RuntimeBuildError(
            "node_modules",
            f"{core_dir.relative_to(project_dir)} is missing or incomplete: the calculator "
            "ships the pinned Pyodide from it. Run `npm ci` (or `make setup`) in "
            f"{project_dir}, then build again.",
        )
    version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    cache = project_dir / ".cache" / "calculator"
    cache.mkdir(parents=True, exist_ok=True)

    stdlib_key = _digest([core_dir / "python_stdlib.zip", _COMPILE_SCRIPT])
    stdlib_zip = cache / f"python_stdlib-{stdlib_key}.zip"
    if not stdlib_zip.is_file():
        _compile_stdlib(core_dir, stdlib_zip)

    engine_key = _digest(
        [
            *_engine_sources(project_dir),
            core_dir / "pyodide-lock.json",
            Path(__file__).resolve(),
            _COMPILE_SCRIPT,
        ]
    )
    engine_dir = cache / f"engine-{engine_key}"
    if not engine_dir.is_dir():
        _build_engine(project_dir, core_dir, engine_dir)
    _prune(cache, (stdlib_zip, engine_dir))
    return BrowserRuntime(version, core_dir, stdlib_zip, engine_dir)


def _prune(cache: Path, in_use: tuple[Path, ...], keep: int = 4) -> None:
    # Every engine edit makes a new key: keep the few most recently used of each
    # kind, so the cache stays small without racing a parallel build of the tree.
    for path in in_use:
        os.utime(path)
    for pattern in ("python_stdlib-*.zip", "engine-*"):
        entries = sorted(cache.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[keep:]:
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def _engine_sources(project_dir: Path) -> list[Path]:
    # Everything the wheel is made from: the package, and the metadata files
    # hatchling reads (the readme becomes the wheel's description).
    package = project_dir / "decision_engine"
    sources = sorted(
        path
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    return [*sources, project_dir / "pyproject.toml", project_dir / "README.md"]


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _compile_pyc(core_dir: Path, mode: str, target: Path, step: str) -> None:
    node = shutil.which("node")
    if node is None:
        raise RuntimeBuildError(
            step,
            "Node.js is needed at build time to compile Python for Pyodide "
            "(install Debian's `nodejs`, the same Node that runs `npm ci`).",
        )
    _run([node, str(_COMPILE_SCRIPT), str(core_dir), mode, str(target)], step, cwd=target.parent)


def _compile_stdlib(core_dir: Path, output: Path) -> None:
    with tempfile.TemporaryDirectory(dir=output.parent) as scratch:
        partial = Path(scratch) / output.name
        _compile_pyc(core_dir, "stdlib", partial, "stdlib")
        # A rename is atomic: a parallel build sees the whole zip or none.
        os.replace(partial, output)


def _build_engine(project_dir: Path, core_dir: Path, engine_dir: Path) -> None:
    pyodide_cli = Path(sys.executable).with_name("pyodide")
    if not pyodide_cli.is_file():
        raise RuntimeBuildError(
            "lock",
            f"{pyodide_cli} is missing: install pyodide-build from requirements.lock "
            "(`make setup`; it needs Python >= 3.12).",
        )
    with tempfile.TemporaryDirectory(dir=engine_dir.parent) as scratch:
        staging = Path(scratch) / engine_dir.name
        staging.mkdir()
        _run(
            [
                sys.executable,
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--outdir",
                str(staging),
                str(project_dir),
            ],
            "wheel",
            cwd=project_dir,
        )
        wheels = sorted(staging.glob("*.whl"))
        if len(wheels) != 1:
            raise RuntimeBuildError("wheel", f"expected one wheel in {staging}, found {wheels}")
        _compile_pyc(core_dir, "wheel", wheels[0], "wheel")
        # Run beside the wheel so the lock file names it by its bare file name: the
        # browser then fetches it from the lock file's own folder.
        _run(
            [
                str(pyodide_cli),
                "lockfile",
                "add-wheels",
                "--input",
                str(core_dir / "pyodide-lock.json"),
                "--output",
                "pyodide-lock.json",
                "--base-path",
                ".",
                wheels[0].name,
            ],
            "lock",
            cwd=staging,
        )
        _check_lock(staging / "pyodide-lock.json", wheels[0].name)
        try:
            os.replace(staging, engine_dir)
        except OSError:
            # Another build finished the same key first; its copy is identical.
            if not engine_dir.is_dir():
                raise


def _check_lock(lock_file: Path, wheel_name: str) -> None:
    packages = json.loads(lock_file.read_text(encoding="utf-8"))["packages"]
    entry = packages.get(PACKAGE_NAME)
    if entry is None or entry["file_name"] != wheel_name:
        raise RuntimeBuildError(
            "lock",
            f"{lock_file}: expected package {PACKAGE_NAME!r} with file {wheel_name!r}, "
            f"found {entry!r}",
        )


def _run(command: list[str], step: str, cwd: Path | str) -> None:
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        output = (completed.stderr or completed.stdout).strip().splitlines()
        tail = "\n".join(output[-15:])
        raise RuntimeBuildError(
            step,
            f"building the calculator's browser runtime failed at step {step!r}: "
            f"{' '.join(command)} exited with {completed.returncode}:\n{tail}",
        )

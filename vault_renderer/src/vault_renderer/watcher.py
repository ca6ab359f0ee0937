"""``mkdocs serve`` learns of a saved file from the operating system, and only of saves.

MkDocs' livereload server polls every watched folder twice a second (watchdog's
``PollingObserver``): on a vault of a thousand notes each poll lists and stats every
file, competing with the rebuild for the CPU, and a save waits up to half a second for
the next poll. The operating system's notifications (watchdog's ``Observer``: inotify on
Linux) report a save at once and cost nothing between saves. They also report what
polling never sees, a file opened or read and closed again, and every build reads every
note: only the events that change a file's content or existence may ask for a rebuild.

When the operating system refuses (Linux limits the watches and watchers a user may
have), the server keeps MkDocs' polling and says why, instead of stopping.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

__all__ = ["FILE_CHANGES", "FileChangeObserver", "observe_file_changes"]

log = logging.getLogger("mkdocs.plugins.vault_renderer")

# A file written (and closed after writing), created, deleted or renamed. Not a file
# opened or closed unwritten, and no folder event (MkDocs ignores those anyway).
FILE_CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
]


class _OneFile(FileSystemEventHandler):
    """Pass on the events of one file of a watched folder."""

    def __init__(self, handler: FileSystemEventHandler, path: str) -> None:
        self.handler, self.path = handler, path

    def dispatch(self, event: FileSystemEvent) -> None:
        if self.path in (os.fsdecode(event.src_path), os.fsdecode(event.dest_path)):
            self.handler.dispatch(event)


class FileChangeObserver(Observer):  # type: ignore[misc,valid-type]
    """watchdog's native observer, reporting only :data:`FILE_CHANGES`.

    A single file (``mkdocs.yml``) is watched through its folder: an editor that saves by
    writing a new file and renaming it over the old one would end a watch on the file.
    Folders linked into a watched one are watched too, as polling did.
    """

    def schedule(  # type: ignore[override]
        self, event_handler: FileSystemEventHandler, path: str | Path, **options: object
    ) -> ObservedWatch:
        """Watch ``path`` (a folder, or a file) for :data:`FILE_CHANGES` only."""
        path = os.path.abspath(path)
        if os.path.isfile(path):
            event_handler = _OneFile(event_handler, path)
            path, options = os.path.dirname(path), {**options, "recursive": False}
        # MkDocs reads folders linked into docs/ as its own (`os.walk(followlinks=True)`).
        options = {**options, "event_filter": FILE_CHANGES, "follow_symlink": True}
        return super().schedule(event_handler, path, **options)


def observe_file_changes(server: LiveReloadServer) -> None:
    """Make ``server`` rebuild on :data:`FILE_CHANGES`, reported by the operating system.

    Call it before the server starts (``on_serve``): the paths it watches already (the
    docs folder, the configuration file, the theme with ``--watch-theme``) move to the
    new observer.
    """
    # MkDocs keeps no public list of them; `watch` and `unwatch` count references.
    watched: dict[str, int] = dict(server._watched_paths)
    refusal = _native_watch_refusal(watched)
    if refusal is not None:
        log.warning(
            "The operating system refused to watch the vault for saves (%s): mkdocs serve "
            "polls every folder twice a second instead, so a save shows a little later. "
            "On Linux, raising the sysctl fs.inotify.max_user_watches or "
            "fs.inotify.max_user_instances lifts the limit.",
            refusal,
        )
        return
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = FileChangeObserver()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)


def _native_watch_refusal(paths: dict[str, int]) -> str | None:
    """Why the operating system will not watch ``paths``, or None if it will.

    Found by watching them for a moment: the limits are on the folders watched, which
    only the kernel counts.
    """
    probe = FileChangeObserver()
    try:
        for path in paths:
            probe.schedule(FileSystemEventHandler(), path, recursive=True)
        probe.start()
    except OSError as error:
        return error.strerror or str(error)
    finally:
        probe.unschedule_all()
        if probe.is_alive():
            probe.stop()
            probe.join()
    return None

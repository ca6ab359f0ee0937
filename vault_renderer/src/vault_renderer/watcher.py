"""``mkdocs serve`` learns of a saved file from the operating system, and only of saves.

MkDocs' livereload server polls every watched folder twice a second (watchdog's
``PollingObserver``): on a vault of a thousand notes each poll lists and stats every
file, competing with the rebuild for the CPU, and a save waits up to half a second for
the next poll. The operating system's notifications (watchdog's ``Observer``: inotify on
Linux) report a save at once and cost nothing between saves. They also report what
polling never sees, a file opened or read and closed again, and every build reads every
note: only the events that change a file's content or existence may ask for a rebuild.
"""

from __future__ import annotations

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
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = FileChangeObserver()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)

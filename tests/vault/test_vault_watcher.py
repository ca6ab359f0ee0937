"""``make serve`` rebuilds on a saved file, told by the operating system, and on nothing else.

A real watchdog observer on real files in ``tmp_path``. "Nothing else" is checked
without waiting for a silence: a marker file is written after the reads, and events
arrive in order, so anything the reads caused would come before the marker's.
"""

from __future__ import annotations

import os
import queue
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from vault_renderer.watcher import FileChangeObserver, observe_file_changes
from watchdog.events import FileSystemEvent, FileSystemEventHandler

# A bound, not a wait: each get returns as soon as the event arrives.
EVENT_SECONDS = 30


class Recorder(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: queue.Queue[FileSystemEvent] = queue.Queue()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.put(event)

    def until(self, path: Path) -> list[tuple[str, str]]:
        """Every event up to the first one of ``path``: ``(type, file name)``."""
        seen = []
        while True:
            event = self.events.get(timeout=EVENT_SECONDS)
            name = Path(os.fsdecode(event.dest_path or event.src_path)).name
            seen.append((event.event_type, name))
            if name == path.name:
                return seen


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "Note.md").write_text("# Note\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def observed(vault: Path):
    recorder = Recorder()
    observer = FileChangeObserver()
    observer.schedule(recorder, str(vault / "docs"), recursive=True)
    observer.schedule(recorder, str(vault / "mkdocs.yml"), recursive=True)
    observer.start()
    yield recorder
    observer.stop()
    observer.join()


class TestFileChangeObserver:
    def test_reading_a_note_reports_nothing(self, vault, observed):
        (vault / "docs" / "Note.md").read_text(encoding="utf-8")
        (vault / "mkdocs.yml").read_text(encoding="utf-8")
        os.listdir(vault / "docs")
        marker = vault / "docs" / "marker.md"
        marker.write_text("x", encoding="utf-8")
        assert observed.until(marker) == [("created", "marker.md")]

    @pytest.mark.parametrize(
        ("change", "kind"),
        [
            (lambda docs: (docs / "Note.md").write_text("# Edited\n"), "modified"),
            (lambda docs: (docs / "New.md").write_text("# New\n"), "created"),
            (lambda docs: (docs / "Note.md").unlink(), "deleted"),
            (lambda docs: (docs / "Note.md").rename(docs / "Renamed.md"), "moved"),
        ],
    )
    def test_a_change_to_a_file_is_reported(self, vault, observed, change, kind):
        change(vault / "docs")
        event = observed.events.get(timeout=EVENT_SECONDS)
        assert event.event_type == kind and not event.is_directory

    def test_a_new_folder_is_not_reported_but_its_files_are(self, vault, observed):
        (vault / "docs" / "Folder").mkdir()
        note = vault / "docs" / "Folder" / "Inside.md"
        note.write_text("# Inside\n", encoding="utf-8")
        assert observed.until(note)[0] == ("created", "Inside.md")

    def test_a_folder_linked_into_docs_is_watched(self, vault, tmp_path_factory):
        elsewhere = tmp_path_factory.mktemp("elsewhere")
        (vault / "docs" / "Linked").symlink_to(elsewhere, target_is_directory=True)
        recorder = Recorder()
        observer = FileChangeObserver()
        observer.schedule(recorder, str(vault / "docs"), recursive=True)
        observer.start()
        try:
            (elsewhere / "Far.md").write_text("# Far\n", encoding="utf-8")
            assert recorder.until(elsewhere / "Far.md")[-1][1] == "Far.md"
        finally:
            observer.stop()
            observer.join()

    def test_a_watched_file_replaced_by_a_rename_is_still_watched(self, vault, observed):
        # As editors save: a new file renamed over the old one, twice.
        for text in ("site_name: y\n", "site_name: z\n"):
            (vault / "saved.tmp").write_text(text, encoding="utf-8")
            os.replace(vault / "saved.tmp", vault / "mkdocs.yml")
            assert observed.until(vault / "mkdocs.yml")[-1] == ("moved", "mkdocs.yml")

    def test_other_files_beside_a_watched_file_are_not_reported(self, vault, observed):
        (vault / "other.txt").write_text("x", encoding="utf-8")
        marker = vault / "docs" / "marker.md"
        marker.write_text("x", encoding="utf-8")
        assert observed.until(marker) == [("created", "marker.md")]


def test_the_serve_command_moves_its_watches_to_the_new_observer(vault: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(vault))
    server.watch(str(vault / "docs"))
    server.watch(str(vault / "mkdocs.yml"))
    observe_file_changes(server)
    assert isinstance(server.observer, FileChangeObserver)
    server.observer.start()
    try:
        (vault / "docs" / "Note.md").write_text("# Saved\n", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, EVENT_SECONDS)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_a_refusal_to_watch_keeps_polling_and_says_why(vault: Path, monkeypatch, caplog) -> None:
    # The kernel's answer when a user's inotify watches run out (fs.inotify.max_user_watches),
    # given where watchdog asks for a watch; watchdog's own code turns it into the error.
    import ctypes
    import errno

    from watchdog.observers import inotify_c

    def refuse(*args: object) -> int:
        ctypes.set_errno(errno.ENOSPC)
        return -1

    monkeypatch.setattr(inotify_c, "inotify_add_watch", refuse)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(vault))
    polling = server.observer
    server.watch(str(vault / "docs"))
    try:
        observe_file_changes(server)
        assert server.observer is polling
        assert server._watched_paths == {str(vault / "docs"): 1}
        [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert "inotify watch limit reached" in warning and "polls every folder" in warning
    finally:
        server.server_close()

"""Obsidian task lists (``- [ ] task``) that a screen reader reads as text.

``pymdownx.tasklist`` draws each task's box as a disabled ``<input type="checkbox">``
with no label: a form control without a name (axe-core's ``label`` rule), which a
screen reader announces as an unnamed, dimmed checkbox before the task's text. In a
note a task is text, not a control, so its box is hidden from assistive technology
and its state is said in words before the text ("Done: ", "To do: "), while the page
looks exactly as before.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

__all__ = ["TaskListTextExtension", "TaskStatePostprocessor", "makeExtension"]


class TaskStatePostprocessor(Postprocessor):
    """Hide each task box from assistive technology and say its state in text."""

    # What pymdownx.tasklist writes, with and without custom_checkbox.
    RE_TASK_BOX = re.compile(
        r'(?P<open><label class="task-list-control">)?'
        r'<input type="checkbox"(?P<attrs>(?: disabled| checked)*)/>'
        r'(?(open)<span class="task-list-indicator"></span></label>)'
    )
    DONE, TO_DO = "Done: ", "To do: "

    def run(self, text: str) -> str:
        """Return the page's HTML with every task box rewritten."""
        return self.RE_TASK_BOX.sub(self._rewrite, text)

    def _rewrite(self, match: re.Match[str]) -> str:
        attrs = match["attrs"]
        state = self.DONE if " checked" in attrs else self.TO_DO
        if match["open"]:
            box = (
                '<label class="task-list-control" aria-hidden="true">'
                f'<input type="checkbox"{attrs}/>'
                '<span class="task-list-indicator"></span></label>'
            )
        else:
            box = f'<input type="checkbox"{attrs} aria-hidden="true"/>'
        return f'{box}<span class="md-visually-hidden">{state}</span>'


class TaskListTextExtension(Extension):
    """Registers :class:`TaskStatePostprocessor`."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Run after raw HTML is restored (30), where pymdownx.tasklist's boxes appear."""
        md.postprocessors.register(TaskStatePostprocessor(md), "vault_task_state", 25)


def makeExtension(**kwargs: object) -> TaskListTextExtension:
    """Entry point for ``markdown_extensions: - vault_renderer.tasks``."""
    return TaskListTextExtension(**kwargs)

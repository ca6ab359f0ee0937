"""The review page as built: every handbook link of the lens lands on a real section."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urljoin

import pytest

from decision_engine.lens import handbook_lens
from tests.conftest import BuiltSite

pytestmark = pytest.mark.slow


def test_every_handbook_link_of_the_lens_lands_on_a_section(built_site: BuiltSite) -> None:
    page = (built_site.directory / "tools" / "review" / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'class="review-help" href="([^"]+)"', page))
    # One link per practice and per "None of these", several sharing a section.
    choices = sum(len(q.choices) for _, q in handbook_lens().questions())
    assert page.count('class="review-help" href="') == choices
    missing = []
    for link in sorted(links):
        target = urljoin("http://site/tools/review/", html.unescape(link))
        path, _, anchor = target.removeprefix("http://site/").partition("#")
        file = built_site.directory / unquote(path) / "index.html"
        if not file.is_file() or (anchor and f'id="{anchor}"' not in file.read_text("utf-8")):
            missing.append(link)
    assert missing == []

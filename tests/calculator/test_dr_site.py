"""The DR tool's page as built: the build-time answer, and every link its answers give."""

from __future__ import annotations

import json
import re
from itertools import product

import pytest

from decision_engine.render_dr import live_answer
from decision_engine.tool_page import PageContext
from tests.calculator.test_calculator_site import Page, site_file
from tests.conftest import BuiltSite

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dr_page(built_site: BuiltSite) -> Page:
    return Page((built_site.directory / "tools/dr/index.html").read_text(encoding="utf-8"))


def test_build_time_answer_is_the_clis_for_the_page_defaults(dr_page):
    from tests.calculator.test_dr_browser import cli_dr

    (block,) = dr_page.json_blocks
    assert json.loads(block) == cli_dr({"rto_minutes": 30, "rpo_minutes": 5})
    (tool,) = [attrs for _, attrs in dr_page.tags if attrs.get("data-tool")]
    assert (tool["data-tool"], tool["data-command"]) == ("dr", "dr")


def test_the_tools_page_and_the_pillar_pages_link_to_it(built_site):
    index = (built_site.directory / "tools/index.html").read_text(encoding="utf-8")
    assert 'href="dr/"' in index
    for pillar in ("reliability", "cost-optimization", "operational-excellence", "security"):
        page = built_site.directory / f"well-architected/{pillar}/index.html"
        assert 'href="../../tools/dr/"' in page.read_text(encoding="utf-8"), pillar


def test_every_handbook_link_of_every_answer_exists_in_the_site(built_site):
    site = built_site.directory
    checked = set()
    for objectives, corruption, residency in product(
        [("1440", "1440"), ("30", "5"), ("0", "0")],
        ["true", "false"],
        ["any_region", "single_region"],
    ):
        fields = {
            "rto_minutes": objectives[0],
            "rpo_minutes": objectives[1],
            "corruption_protection": corruption,
            "data_residency": residency,
            "ops_effort": "minimal",
        }
        html = live_answer(fields, PageContext()).html
        for url in re.findall(r'<a href="(\.\./[^"]+)"', html):
            if url in checked:
                continue
            checked.add(url)
            target = site_file(site, url)  # tools/dr/ sits as deep as tools/compute/
            assert target.is_file(), f"{url} -> {target} is missing"
            anchor = url.partition("#")[2]
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), url
    assert len(checked) >= 8

"""The glossary extension (glossary/): abbr's tooltips from includes/abbreviations.md.

Real Python-Markdown conversions with the extension as mkdocs.yml lists it; the
handbook-wide checks (a tooltip on a built page, none in headings of code) are in
test_site_build.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import markdown
import pytest
from mkdocs.exceptions import PluginError

from glossary import load_glossary

REPO = Path(__file__).resolve().parents[2]


def render(text: str, glossary: Path) -> str:
    return markdown.markdown(
        text, extensions=["glossary"], extension_configs={"glossary": {"file": str(glossary)}}
    )


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    path = tmp_path / "abbreviations.md"
    path.write_text("*[AZ]: Availability Zone\n\n*[EC2]: Amazon Elastic Compute Cloud\n")
    return path


def test_a_term_on_the_page_gets_its_tooltip_and_code_does_not(glossary_file: Path) -> None:
    html = render("Two AZ for `AZ` and EC2s, not EC2.\n", glossary_file)
    assert html == (
        '<p>Two <abbr title="Availability Zone">AZ</abbr> for <code>AZ</code> and EC2s, '
        'not <abbr title="Amazon Elastic Compute Cloud">EC2</abbr>.</p>'
    )


def test_a_page_without_terms_is_unchanged_and_shows_no_definitions(
    glossary_file: Path,
) -> None:
    assert render("Plain words.\n", glossary_file) == "<p>Plain words.</p>"


def test_a_page_may_define_its_own_meaning(glossary_file: Path) -> None:
    html = render("An AZ.\n\n*[AZ]: Arizona\n", glossary_file)
    assert html == '<p>An <abbr title="Arizona">AZ</abbr>.</p>'


def test_an_edited_glossary_is_read_again(glossary_file: Path) -> None:
    assert "Availability Zone" in render("AZ\n", glossary_file)
    glossary_file.write_text("*[AZ]: Zone of availability, edited\n")
    assert "Zone of availability, edited" in render("AZ\n", glossary_file)


def test_a_line_that_is_no_entry_is_named_and_left_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "abbreviations.md"
    path.write_text("*[AZ]: Availability Zone\nAZ means zone\n*[S3]:\n")
    with caplog.at_level(logging.WARNING, logger="mkdocs.glossary"):
        assert load_glossary(path) == {"AZ": "Availability Zone"}
    assert [record.getMessage().split(":")[:2] for record in caplog.records] == [
        [str(path), "2"],
        [str(path), "3"],
    ]


def test_a_missing_glossary_stops_the_build_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"nowhere\.md: the glossary .* cannot be read"):
        load_glossary(tmp_path / "nowhere.md")


def test_the_handbook_glossary_reads_whole() -> None:
    lines = (REPO / "includes" / "abbreviations.md").read_text().splitlines()
    assert len(load_glossary(REPO / "includes" / "abbreviations.md")) == len(
        [line for line in lines if line.strip()]
    )

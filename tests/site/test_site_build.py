"""The handbook as a reader gets it: a strict build, its navigation, search and hosts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.conftest import REPO, BuiltSite
from tests.site.handbook_nav import nav_sources, page_path

pytestmark = pytest.mark.slow

PILLARS = (
    "operational-excellence",
    "security",
    "reliability",
    "performance-efficiency",
    "cost-optimization",
    "sustainability",
)


class _Resources(HTMLParser):
    """Collects the URLs a page loads (not the ones it merely links to)."""

    LOADING_LINK_RELS = frozenset({"stylesheet", "preload", "modulepreload", "icon", "manifest"})

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("src", "srcset", "poster", "data"):
            if attributes.get(name):
                self.loaded.append(attributes[name] or "")
        rels = set((attributes.get("rel") or "").lower().split())
        if tag == "link" and rels & self.LOADING_LINK_RELS and attributes.get("href"):
            self.loaded.append(attributes["href"] or "")
        if tag in {"image", "use", "feimage"}:
            href = attributes.get("href") or attributes.get("xlink:href")
            if href:
                self.loaded.append(href)
        style = attributes.get("style")
        if style:
            self.loaded.extend(_css_urls(style))


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""")


def _css_urls(css: str) -> list[str]:
    return CSS_URL.findall(css) + CSS_IMPORT.findall(css)


def third_party(url: str) -> bool:
    """Whether a URL as written in a page would be fetched from another host."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or url.strip().startswith("//")


class TestBuild:
    def test_strict_build_passes_without_warnings(self, built_site: BuiltSite) -> None:
        assert "WARNING" not in built_site.log, built_site.log

    def test_every_page_in_the_navigation_exists(self, built_site: BuiltSite) -> None:
        sources = nav_sources()
        assert len(sources) >= 20
        missing = [
            s for s in sources if not (built_site.directory / page_path(s) / "index.html").is_file()
        ]
        assert missing == []

    def test_no_page_is_a_placeholder(self, built_site: BuiltSite) -> None:
        placeholders = [
            str(path.relative_to(built_site.directory))
            for path in built_site.directory.rglob("*.html")
            if "placeholder: being written" in path.read_text(encoding="utf-8")
        ]
        assert placeholders == []


class TestWellArchitected:
    @pytest.mark.parametrize("pillar", PILLARS)
    def test_each_pillar_page_links_to_the_other_five(
        self, built_site: BuiltSite, pillar: str
    ) -> None:
        html = (built_site.directory / "well-architected" / pillar / "index.html").read_text()
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        for other in set(PILLARS) - {pillar}:
            assert f'href="../{other}/' in article, f"{pillar} does not link to {other}"

    def test_overview_links_to_all_six(self, built_site: BuiltSite) -> None:
        html = (built_site.directory / "well-architected" / "index.html").read_text()
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        for pillar in PILLARS:
            assert f'href="{pillar}/' in article


@pytest.fixture(scope="module")
def search_index(built_site: BuiltSite) -> dict:
    """The search index Material's client-side search loads."""
    return json.loads((built_site.directory / "search" / "search_index.json").read_text())


class TestSearch:
    @pytest.mark.parametrize(
        ("word", "section"),
        [
            ("Sustainability", "well-architected/"),
            ("Fargate", "07%20Compute/"),
            ("Shared Responsibility", "06%20Architecture/"),
            ("ElastiCache", "architecture/caching/"),
            ("EventBridge", "15%20Serverless/"),
            ("pilot light", "architecture/multi-region-dr/"),
        ],
    )
    def test_index_holds_words_from_every_section(
        self, search_index: dict, word: str, section: str
    ) -> None:
        hits = [
            doc["location"]
            for doc in search_index["docs"]
            if word.lower() in (doc["title"] + " " + doc["text"]).lower()
        ]
        assert any(location.startswith(section) for location in hits), (word, hits[:5])


class TestNoThirdPartyRequests:
    def test_pages_load_nothing_from_another_host(self, built_site: BuiltSite) -> None:
        offenders: list[str] = []
        for page in built_site.directory.rglob("*.html"):
            parser = _Resources()
            parser.feed(page.read_text(encoding="utf-8"))
            offenders += [f"{page.name}: {url}" for url in parser.loaded if third_party(url)]
        assert offenders == []

    def test_stylesheets_import_nothing_from_another_host(self, built_site: BuiltSite) -> None:
        offenders = [
            f"{css.name}: {url}"
            for css in built_site.directory.rglob("*.css")
            for url in _css_urls(css.read_text(encoding="utf-8"))
            if third_party(url)
        ]
        assert offenders == []

    def test_the_scan_catches_a_remote_resource(self) -> None:
        parser = _Resources()
        parser.feed(
            '<link rel="stylesheet" href="https://fonts.example/x.css">'
            '<img src="//cdn.example/a.png"><div style="background:url(https://x.example/b)">'
            '<a href="https://aws.amazon.com/">a cited source is fine</a>'
        )
        assert [u for u in parser.loaded if third_party(u)] == [
            "https://fonts.example/x.css",
            "//cdn.example/a.png",
            "https://x.example/b",
        ]


class TestGlossary:
    def test_acronym_on_a_page_gets_its_tooltip(self, built_site: BuiltSite) -> None:
        html = (
            built_site.directory / "architecture" / "high-availability" / "index.html"
        ).read_text()
        assert re.search(r'<abbr title="Availability Zone">AZ</abbr>', html)

    def test_unresolved_links_headings_carry_no_tooltip(self, built_site: BuiltSite) -> None:
        html = (built_site.directory / "unresolved-links" / "index.html").read_text()
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)
        # The handbook's drawing names icons it lacks, e.g. "EC2-instance-contents_32.svg".
        assert any("EC2" in heading for heading in headings)
        assert not [heading for heading in headings if "<abbr" in heading]

    def test_glossary_has_no_duplicate_and_covers_the_core_acronyms(self) -> None:
        lines = (REPO / "includes" / "abbreviations.md").read_text().splitlines()
        terms = [m.group(1) for line in lines if (m := re.match(r"\*\[([^\]]+)\]:", line))]
        assert len(terms) == len(set(terms))
        required = (
            "AZ ALB ASG CDN DR EBS EC2 ECS EFS EKS ELB IAM KMS NLB RDS RPO RTO S3 SNS SQS VPC"
        )
        assert set(required.split()) <= set(terms)


def _site_links(site: Path) -> list[tuple[Path, str]]:
    links = []
    for page in site.rglob("*.html"):
        links += [(page, href) for href in re.findall(r'href="([^"#][^"]*)"', page.read_text())]
    return links


def test_internal_links_resolve_to_files(built_site: BuiltSite) -> None:
    broken = []
    for page, href in _site_links(built_site.directory):
        # The 404 page is served at any depth, so MkDocs writes its links from site_url.
        if (
            page.name == "404.html"
            or third_party(href)
            or href.startswith(("mailto:", "javascript:", "data:"))
        ):
            continue
        page_url = "http://handbook.test/" + page.relative_to(built_site.directory).as_posix()
        target_path = unquote(urlsplit(urljoin(page_url, href)).path).lstrip("/")
        target = built_site.directory / target_path
        if not (target.is_file() or (target / "index.html").is_file()):
            broken.append(f"{page.relative_to(built_site.directory)} -> {href}")
    assert broken == []


class TestTags:
    def test_tags_index_lists_tagged_pages(self, built_site: BuiltSite) -> None:
        html = (built_site.directory / "tags" / "index.html").read_text()
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        assert "material/tags" not in article and "tags.md:" not in article
        assert 'href="../well-architected/sustainability/"' in article

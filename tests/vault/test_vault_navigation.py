"""The navigation is the vault's folder tree: the plan (pure) and real builds in tmp_path."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from vault_renderer.navigation import (
    order_problem,
    plan_folders,
    without_empty_sections,
)
from vault_renderer.site_nav import folder_navigation, nav_targets

from tests.conftest import REPO


class TestPlanFolders:
    def test_every_folder_names_its_children_in_natural_order_notes_first(self):
        orders = {"a/07-10 x.md": None, "a/07-02 y.md": None, "a/b/z.md": None, "a/2.md": None}
        plan = plan_folders(orders, set())
        assert plan.configs == {
            "": {"nav": ["a"]},
            "a": {"nav": ["2.md", "07-02 y.md", "07-10 x.md", "b"]},
            "a/b": {"nav": ["z.md"]},
        }
        assert plan.folder_notes == frozenset()

    @pytest.mark.parametrize(
        "note",
        ["15 Serverless/15 Serverless.md", "15 Serverless/15 serverless.md"],
    )
    def test_a_note_named_like_its_folder_is_the_section_page(self, note):
        plan = plan_folders({"15 Serverless/15 Lambda.md": None, note: None}, set())
        assert plan.configs["15 Serverless"] == {"nav": [note.split("/")[1], "15 Lambda.md"]}
        assert plan.folder_notes == {note}

    def test_index_md_wins_over_a_folder_note(self):
        plan = plan_folders({"x/x.md": None, "x/index.md": None}, set())
        assert plan.configs["x"] == {"nav": ["index.md", "x.md"]}
        assert plan.folder_notes == frozenset()

    def test_accents_match_in_either_unicode_form(self):
        nfd = "Cafe\u0301/Cafe\u0301.md"
        plan = plan_folders({nfd: None, "Cafe\u0301/b.md": None}, set())
        assert plan.folder_notes == {nfd}

    def test_ordered_notes_come_first_smallest_first_then_the_rest(self):
        orders = {"f/a.md": None, "f/b.md": 2.0, "f/c.md": 1.0, "f/d.md": None}
        assert plan_folders(orders, set()).configs["f"] == {"nav": ["c.md", "b.md", "a.md", "d.md"]}

    def test_equal_orders_fall_back_to_natural_order(self):
        orders = {"f/n10.md": 1.0, "f/n2.md": 1.0}
        assert plan_folders(orders, set()).configs["f"]["nav"] == ["n2.md", "n10.md"]

    def test_a_folder_notes_order_places_its_folder(self):
        orders = {"top/a.md": None, "top/sub/sub.md": 1.0, "top/sub/x.md": None}
        configs = plan_folders(orders, set()).configs
        assert configs["top"] == {"nav": ["sub", "a.md"]}
        assert configs["top/sub"] == {"nav": ["sub.md", "x.md"]}

    def test_a_folder_with_its_own_nav_file_is_left_to_it(self):
        plan = plan_folders({"f/f.md": None, "f/b.md": 1.0}, {"f"})
        assert "f" not in plan.configs
        assert plan.folder_notes == {"f/f.md"}


class TestOrderValues:
    @pytest.mark.parametrize("value", [1, 2.5, -1, 0])
    def test_numbers_order(self, value):
        assert order_problem(value) is None

    @pytest.mark.parametrize("value", ["first", True, None, [1]])
    def test_anything_else_is_a_problem_that_names_the_key(self, value):
        assert "`nav_order` must be a number" in str(order_problem(value))


class TestEmptySections:
    def test_sections_left_empty_are_dropped_at_any_depth(self):
        nav = [{"Home": "index.md"}, {"Notes": []}, {"A": [{"B": []}, "a.md"]}, {"C": [{"D": []}]}]
        assert without_empty_sections(nav) == [{"Home": "index.md"}, {"A": ["a.md"]}]


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


TOP = """\
    preserve_directory_names: true
    nav:
      - Home: index.md
      - Course:
          - 07 Compute
      - Notes:
          - glob: "*"
            ignore_no_matches: true
    """


class TestFolderNavigation:
    def test_natural_order_folder_notes_and_orders(self, tmp_path):
        write(
            tmp_path,
            {
                ".nav.yml": TOP,
                "index.md": "# Home\n",
                "07 Compute/07-10 Later.md": "# Later\n",
                "07 Compute/07-02 Earlier.md": "# Earlier\n",
                "07 Compute/07 Compute.md": "# Compute\n",
                "07 Compute/Pinned.md": "---\nnav_order: 1\n---\n# Pinned\n",
                "10 Ten/a.md": "# A\n",
                "2 Two/a.md": "# A\n",
            },
        )
        pages = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")]
        assert folder_navigation(tmp_path, pages).nav == [
            {"Home": "index.md"},
            {
                "Course": [
                    {
                        "07 Compute": [
                            "07 Compute/07 Compute.md",
                            "07 Compute/Pinned.md",
                            "07 Compute/07-02 Earlier.md",
                            "07 Compute/07-10 Later.md",
                        ]
                    }
                ]
            },
            {"Notes": [{"2 Two": ["2 Two/a.md"]}, {"10 Ten": ["10 Ten/a.md"]}]},
        ]

    def test_a_nav_file_entry_that_matches_nothing_is_a_complaint_with_its_file(self, tmp_path):
        write(tmp_path, {".nav.yml": "nav:\n  - index.md\n  - Nowhere\n", "index.md": "# H\n"})
        result = folder_navigation(tmp_path, ["index.md"])
        assert result.complaints == (
            "The nav item 'Nowhere' doesn't match any files or directories [.nav.yml]",
        )

    def test_a_bad_order_is_reported_and_ignored(self, tmp_path):
        write(tmp_path, {"f/a.md": "---\nnav_order: first\n---\n", "f/b.md": "# B\n"})
        result = folder_navigation(tmp_path, ["f/a.md", "f/b.md"])
        assert [path for path, _problem in result.order_problems] == ["f/a.md"]
        assert list(nav_targets(result.nav)) == ["f/a.md", "f/b.md"]


def copy_handbook(tmp_path: Path) -> Path:
    """The handbook's sources, as a clean clone has them, in ``tmp_path``."""
    project = tmp_path / "handbook"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = REPO / name
        if source.is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    # Installed, not tracked: the pinned Pyodide the calculator pages ship.
    (project / "node_modules").symlink_to(REPO / "node_modules")
    return project


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


NEW_NOTE = """\
---
title: 08-01 RDS Basics
date: 03/12/26
tags: [databases]
---

# 08-01 RDS Basics

Amazon RDS runs a relational database engine for you; compare [[07-01 EC2 Overview]].
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A copy of the handbook with one new note in a new folder, built strictly."""
    project = copy_handbook(tmp_path_factory.mktemp("new-note"))
    write(project, {"docs/08 Databases/08-01 RDS Basics.md": NEW_NOTE})
    site = project / "site"
    build = run(project, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site))
    return project, build


@pytest.mark.slow
class TestANewNoteInANewFolder:
    """The issue's case: a contributor adds a note in a folder nobody has placed."""

    def test_the_strict_build_passes(self, built):
        _project, build = built
        assert build.returncode == 0, build.stderr
        assert "WARNING" not in build.stderr

    def test_the_note_is_in_the_navigation_of_every_page(self, built):
        project, _build = built
        page = project / "site/08 Databases/08-01 RDS Basics/index.html"
        home = (project / "site/index.html").read_text(encoding="utf-8")
        assert page.is_file()
        tabs = re.findall(r'class="md-tabs__link[^"]*">\s*([^<]+?)\s*<', home)
        assert tabs == [
            "Home",
            "Architecture",
            "Compute",
            "Well-Architected",
            "Tools",
            "Notes",
            "Tags",
        ]
        assert "08%20Databases/08-01%20RDS%20Basics/" in home.replace(" ", "%20")

    def test_the_home_page_title_names_the_site_once(self, built):
        project, _build = built
        home = (project / "site/index.html").read_text(encoding="utf-8")
        note = (project / "site/08 Databases/08-01 RDS Basics/index.html").read_text()
        assert re.findall(r"<title>([^<]*)</title>", home) == ["Cloud Architecture Handbook"]
        assert re.findall(r"<title>([^<]*)</title>", note) == [
            "08-01 RDS Basics - Cloud Architecture Handbook"
        ]

    def test_the_check_passes(self, built):
        project, _build = built
        check = run(project, "-m", "vault_renderer.check", "docs")
        assert check.returncode == 0, check.stdout + check.stderr
        assert "VAULT04" not in check.stdout
        # Every note of the copied handbook, the new one included (a count written out
        # here went stale whenever a page was added); drawings are not notes.
        notes = [p for p in (project / "docs").rglob("*.md") if ".excalidraw" not in p.name]
        assert f"checked {len(notes)} notes" in check.stdout


class TestTheHandbook:
    def test_the_top_level_is_hand_made_and_the_notes_tab_is_empty_so_absent(self):
        docs = REPO / "docs"
        pages = [p.relative_to(docs).as_posix() for p in docs.rglob("*.md")]
        top = [next(iter(item)) for item in folder_navigation(docs, pages).nav]
        assert top == ["Home", "Architecture", "Compute", "Well-Architected", "Tools", "Tags"]


GENERATOR_HOOK = """
from mkdocs.structure.files import File


def on_files(files, config):
    # As a plugin adds a page (a drawing's own page) to the folder of its source.
    files.append(File.generated(config, "15 Serverless/Flow drawing.md", content="# Flow drawing"))
    return files
"""


@pytest.mark.slow
class TestTinySiteBuild:
    """A real build of a tiny vault with no navigation configured at all."""

    @pytest.fixture(scope="class")
    @classmethod
    def site(cls, tmp_path_factory) -> tuple[Path, str]:
        root = tmp_path_factory.mktemp("tiny")
        write(
            root,
            {
                "mkdocs.yml": """\
                    site_name: Tiny
                    theme:
                      name: material
                      features: [navigation.indexes]
                    hooks: [generate.py]
                    plugins:
                      - obsidian-vault:
                          extra_roots: []
                    """,
                "generate.py": GENERATOR_HOOK,
                "docs/index.md": "# Home\n",
                "docs/15 Serverless/15-10 Later.md": "# Later\n",
                "docs/15 Serverless/15-02 Earlier.md": "# Earlier\n",
                "docs/15 Serverless/15 Serverless.md": "---\ntitle: All of serverless\n---\n",
                "docs/15 Serverless/Pinned.md": "---\nnav_order: 1\n---\n# Pinned\n",
            },
        )
        build = run(root, "-m", "mkdocs", "build", "--strict")
        assert build.returncode == 0, build.stderr
        return root / "site", build.stderr

    def section_links(self, site: Path) -> list[str]:
        page = (site / "15 Serverless/15-02 Earlier/index.html").read_text(encoding="utf-8")
        nav = page[page.index('class="md-nav md-nav--primary"') :]
        nav = nav[: nav.index('class="md-sidebar md-sidebar--secondary"')]
        return re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*">', nav)

    def test_no_warning_although_nothing_lists_the_notes(self, site):
        assert "WARNING" not in site[1]

    def test_the_folder_note_is_the_sections_link_then_order_then_natural(self, site):
        assert self.section_links(site[0]) == [
            "../..",
            "../15%20Serverless/",
            "../Pinned/",
            "./",
            "../15-10%20Later/",
            "../Flow%20drawing/",
        ]

    def test_the_folder_notes_section_is_a_link_not_a_label(self, site):
        page = (site[0] / "15 Serverless/Pinned/index.html").read_text(encoding="utf-8")
        assert 'class="md-nav__link md-nav__container"' in page

"""Built sites shared by the rendering tests: the repository's, and one of the test fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from privacy_pages.site.build import build_site

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "render"
ARTIFACTS = REPO / "test-artifacts"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

FIXTURE_MKDOCS = """\
site_name: Fixture site
theme:
  name: material
  custom_dir: {overrides}
  font: false
plugins:
  - search
  - privacy-pages:
      content_dir: content
      draft: {draft}
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - admonition
"""


def controller_files() -> list[Path]:
    """The real controllers of content/ (written by the seeds work)."""
    return sorted((REPO / "content").glob("*.yaml"))


def make_fixture_project(root: Path, controllers: list[Path], *, draft: bool = True) -> Path:
    """A small MkDocs project holding ``controllers``; returns its mkdocs.yml.

    Drafts are on by default: the seeds and the hostile fixture have real gaps."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Fixture agency\n", encoding="utf-8")
    (root / "content").mkdir()
    for path in controllers:
        shutil.copy(path, root / "content" / path.name)
    config = root / "mkdocs.yml"
    text = FIXTURE_MKDOCS.format(overrides=REPO / "site_overrides", draft=str(draft).lower())
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's mkdocs.yml built with --strict (the five seed controllers)."""
    site = tmp_path_factory.mktemp("repo-site") / "site"
    return build_site(REPO / "mkdocs.yml", site, strict=True)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of the rendering fixtures (a complete controller and a hostile one)."""
    root = tmp_path_factory.mktemp("fixture-project")
    config = make_fixture_project(root, sorted(DATA.glob("*.yaml")))
    return build_site(config, root / "site", strict=True)

"""The plugin-built site against a hand-written control site (mkdocs-static-i18n's
test_control): the same pages written as Markdown files and built by plain MkDocs must
give the same article HTML as the plugin, which splices pre-rendered bodies in."""

from __future__ import annotations

from pathlib import Path

import pytest

from privacy_pages.model.content import read_controller
from privacy_pages.render import RenderedPage, render_pages
from privacy_pages.render.draft import as_draft
from privacy_pages.site.build import build_site
from privacy_pages.site.publish import assess

from .conftest import DATA, REPO
from .pagetext import soup

CONTROL_MKDOCS = """\
site_name: Control site
theme:
  name: material
  custom_dir: {overrides}
  font: false
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - admonition
"""
CONTROLLERS = [DATA / "atelier.yaml", DATA / "hostile.yaml"]


@pytest.fixture(scope="module")
def control_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("control")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Control\n", encoding="utf-8")
    for path in CONTROLLERS:
        for page in _rendered(path):
            target = root / "docs" / page.src_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(CONTROL_MKDOCS.format(overrides=REPO / "site_overrides"), encoding="utf-8")
    return build_site(config, root / "site")


def _rendered(path: Path) -> list[RenderedPage]:
    """The pages as the fixture site (drafts on) publishes them."""
    verdict = assess(read_controller(path))
    pages = render_pages(verdict.controller)
    return [as_draft(page, verdict.gaps) if verdict.gaps else page for page in pages]


def _pages() -> list[str]:
    return [page.src_path for path in CONTROLLERS for page in _rendered(path)]


@pytest.mark.parametrize("src_path", _pages())
def test_article_matches_control(fixture_site: Path, control_site: Path, src_path: str) -> None:
    html_path = src_path[:-3] + "/index.html"
    if src_path.endswith("/index.md"):
        html_path = src_path[: -len("index.md")] + "index.html"
    built = soup(fixture_site / html_path).select_one("article")
    control = soup(control_site / html_path).select_one("article")
    assert built is not None and control is not None
    assert str(built) == str(control)

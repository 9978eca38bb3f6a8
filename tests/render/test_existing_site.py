"""The plugin dropped into a site an agency already has: Material with its own nav, tabs and
custom_dir, no attr_list. `mkdocs build --strict` passes, the host's navigation, tabs and
search stay the host's, titles from client files never become markup (checked in Chromium),
and a broken client file fails only that client in draft mode."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright

from ..loopback import serving
from ..page_browser import launch_chromium
from .conftest import DATA
from .pagetext import soup

HOSTILE_NAME = "</title><script>alert(2)</script>"
HOST_MKDOCS = """\
site_name: Agence Exemple
theme:
  name: material
  custom_dir: overrides
  font: false
  language: fr
  features: [navigation.tabs]
nav:
  - Accueil: index.md
  - Agence: about.md
  - Blog:
      - blog/index.md
      - blog/post.md
plugins:
  - search
{plugin}
"""
PLUGIN = """\
  - privacy-pages:
      content_dir: clients-data
      draft: {draft}
"""
# The site's own override: extends Material's base.html and knows nothing of privacy-pages.
HOST_OVERRIDE = """\
{% extends "base.html" %}
{% block announce %}Offre de la semaine{% endblock %}
"""


def _hostile_controller(folder: Path) -> None:
    """atelier (clean: published, not a draft) named by a title that closes <title>."""
    data = yaml.safe_load((DATA / "atelier.yaml").read_text(encoding="utf-8"))
    data["id"] = "hostile-title"
    data.pop("title", None)
    data["controller"]["trade_name"] = HOSTILE_NAME
    (folder / "hostile-title.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )


def make_host_site(root: Path, *, plugin: bool = True, draft: bool = False) -> Path:
    """The agency's existing site, with (or without) the plugin added to its mkdocs.yml."""
    pages = {
        "index.md": "# Agence Exemple\n\nBienvenue.\n",
        "about.md": "# L'agence\n\nNous faisons des sites.\n",
        "blog/index.md": "# Blog\n",
        "blog/post.md": "# Un article\n\nDu texte.\n",
    }
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides" / "main.html").write_text(HOST_OVERRIDE, encoding="utf-8")
    content = root / "clients-data"
    content.mkdir(exist_ok=True)
    (content / "atelier.yaml").write_bytes((DATA / "atelier.yaml").read_bytes())
    _hostile_controller(content)
    block = PLUGIN.format(draft=str(draft).lower()) if plugin else ""
    (root / "mkdocs.yml").write_text(HOST_MKDOCS.format(plugin=block), encoding="utf-8")
    return root / "mkdocs.yml"


def mkdocs_build(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The real `mkdocs build` command line, as the agency runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
    )


@pytest.fixture(scope="module")
def host_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(site with the plugin, the same site without it, build log of the first)."""
    with_plugin = make_host_site(tmp_path_factory.mktemp("host"))
    run = mkdocs_build(with_plugin, "--strict")
    assert run.returncode == 0, run.stderr
    without = make_host_site(tmp_path_factory.mktemp("host-plain"), plugin=False)
    plain = mkdocs_build(without, "--strict")
    assert plain.returncode == 0, plain.stderr
    return with_plugin.parent / "site", without.parent / "site", run.stderr


def _nav(path: Path) -> list[tuple[str, str]]:
    page = soup(path)
    links = page.select(".md-tabs a, nav.md-nav--primary > ul > li > a")
    return [(a.get_text(" ", strip=True), a.get("href", "")) for a in links]


def test_strict_build_passes_and_logs_no_line_per_page(host_sites: tuple[Path, Path, str]) -> None:
    _, _, log = host_sites
    assert "not included in" not in log and "Traceback" not in log
    assert "added Markdown extension(s) attr_list" in log


def test_host_navigation_tabs_and_search_are_the_hosts(host_sites: tuple[Path, Path, str]) -> None:
    site, plain, _ = host_sites
    for page in ("index.html", "about/index.html", "blog/post/index.html"):
        assert _nav(site / page) == _nav(plain / page), page
    generated = soup(site / "clients" / "atelier-demo" / "fr" / "cookies" / "index.html")
    tabs = [a.get_text(strip=True) for a in generated.select(".md-tabs a")]
    assert tabs[:3] == ["Accueil", "Agence", "Blog"]  # the host's tabs stay on client pages
    section = generated.select("nav.md-nav--primary label.md-nav__link")
    assert any("Atelier Démo" in label.get_text() for label in section)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert not any(loc.startswith("clients/") for loc in locations), "client text in search"
    assert "about/" in locations


def test_no_attribute_list_syntax_shows(host_sites: tuple[Path, Path, str]) -> None:
    site, _, _ = host_sites
    pages = list((site / "clients").rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        article = soup(page).select_one("article")
        assert article is not None and "{#" not in article.get_text(), page
        assert soup(page).select_one("h1#top") is not None or page.parent.name == "clients"


def test_stylesheet_comes_with_the_plugin(host_sites: tuple[Path, Path, str]) -> None:
    site, _, _ = host_sites
    assert (site / "assets" / "privacy-pages" / "privacy-pages.css").is_file()
    head = soup(site / "clients" / "atelier-demo" / "fr" / "cookies" / "index.html").head
    assert head is not None
    assert any("privacy-pages.css" in link.get("href", "") for link in head.select("link"))


@pytest.mark.browser
def test_hostile_trade_name_never_becomes_markup_in_chromium(
    host_sites: tuple[Path, Path, str],
) -> None:
    site, _, _ = host_sites
    dialogs: list[str] = []
    with serving(site) as url, sync_playwright() as playwright:
        base = f"{url}clients/hostile-title"
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for lang in ("fr", "en"):
            for slug in ("", "privacy/", "cookies/", "legal-notice/"):
                page.goto(f"{base}/{lang}/{slug}")
                assert HOSTILE_NAME in page.title(), page.title()
                assert HOSTILE_NAME in page.locator("article h1").inner_text()
                scripts = page.eval_on_selector_all(
                    "script", "nodes => nodes.map(n => n.textContent)"
                )
                assert not any("alert(2)" in s for s in scripts), page.url
        browser.close()
    assert dialogs == []


def test_broken_client_fails_only_itself_in_draft_mode(tmp_path: Path) -> None:
    config = make_host_site(tmp_path, draft=True)
    (tmp_path / "clients-data" / "broken.yaml").write_text(
        "id: broken\nlanguages: [fr]\ncontroller: {nmae: x}\n", encoding="utf-8"
    )
    run = mkdocs_build(config)
    assert run.returncode == 0, run.stderr
    assert re.search(r"broken\.yaml:3:\d+: SCHEMA002 unknown key 'nmae'", run.stderr), run.stderr
    assert (tmp_path / "site" / "clients" / "atelier-demo" / "fr" / "index.html").is_file()
    assert not (tmp_path / "site" / "clients" / "broken").exists()
    strict = mkdocs_build(config, "--strict")  # a left-out client is a warning: strict fails
    assert strict.returncode != 0
    refused = make_host_site(tmp_path / "refused", draft=False)
    (tmp_path / "refused" / "clients-data" / "broken.yaml").write_bytes(
        (tmp_path / "clients-data" / "broken.yaml").read_bytes()
    )
    run = mkdocs_build(refused)
    assert run.returncode != 0 and "broken.yaml" in run.stderr and "Traceback" not in run.stderr


def test_missing_extension_without_adding_is_one_clear_error(tmp_path: Path) -> None:
    config = make_host_site(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        "draft: false", "draft: false\n      add_markdown_extensions: false"
    )
    config.write_text(text, encoding="utf-8")
    run = mkdocs_build(config)
    assert run.returncode != 0
    assert "needs the Markdown extension(s) attr_list" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("first", [True, False], ids=["i18n-first", "i18n-last"])
def test_static_i18n_is_refused_clearly(tmp_path: Path, first: bool) -> None:
    """mkdocs-static-i18n (installed in the test env) rebuilds per language: refused clearly."""
    config = make_host_site(tmp_path)
    i18n = (
        "  - i18n:\n      docs_structure: suffix\n      languages:\n"
        "        - {locale: fr, default: true, name: Français}\n"
        "        - {locale: en, name: English}\n"
    )
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - search\n", "  - search\n" + i18n if first else "  - search\n")
    if not first:
        text += i18n
    config.write_text(text, encoding="utf-8")
    run = mkdocs_build(config)
    assert run.returncode != 0
    assert "privacy-pages cannot run beside the 'i18n' plugin" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "TypeError" not in run.stderr


def test_config_is_never_written_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Material reads the page language from the config; the plugin gives each page a view."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.theme import Theme

    config = load_config(config_file=str(make_host_site(tmp_path)))
    config.plugins.on_startup(command="build", dirty=False)

    class _ReadOnly(dict):
        def __setitem__(self, key: object, value: object) -> None:
            raise AssertionError(f"config.extra[{key!r}] written during the build")

    config.extra = _ReadOnly(config.extra)
    original = Theme.__setitem__

    def guarded(self: Theme, key: str, value: object) -> None:
        if key == "language":
            raise AssertionError("config.theme['language'] written during the build")
        original(self, key, value)

    monkeypatch.setattr(Theme, "__setitem__", guarded)
    build(config)
    english = soup(tmp_path / "site" / "clients" / "atelier-demo" / "en" / "index.html")
    assert english.html is not None and english.html["lang"] == "en"
    home = soup(tmp_path / "site" / "index.html")
    assert home.html is not None and home.html["lang"] == "fr"

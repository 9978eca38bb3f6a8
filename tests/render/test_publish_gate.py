"""The publish gate: `build`, `export` and the plugin publish only what `check` accepts, or
explicit drafts (a notice naming the gaps on every page, noindex)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from privacy_pages.check import run_check
from privacy_pages.cli import main
from privacy_pages.model.content import require_controller
from privacy_pages.model.schema import load_schema
from privacy_pages.render import render_index
from privacy_pages.site.mkdocs_plugin import PrivacyPagesPlugin

from .conftest import DATA, REPO, controller_files, make_fixture_project
from .pagetext import soup

NOINDEX = '<meta name="robots" content="noindex">'
GOLDEN_JSON = DATA / "golden" / "json"


def _gapped(folder: Path) -> Path:
    """atelier (clean) with its rights list emptied: PN011, an error-level gap."""
    data = yaml.safe_load((DATA / "atelier.yaml").read_text(encoding="utf-8"))
    data["id"] = "gapped-shop"
    data["rights"]["list"] = [{"right": "access"}]
    path = folder / "gapped.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _check_errors(folder: Path) -> set[tuple[str, str]]:
    result = run_check([folder])
    return {(Path(d.path).name, d.rule) for d in result.diagnostics if d.severity.label == "error"}


def test_build_refuses_what_check_rejects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_fixture_project(tmp_path / "project", [DATA / "atelier.yaml"], draft=False)
    _gapped(tmp_path / "project" / "content")
    code = main(["build", "--config-file", str(config), "--site-dir", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"gapped\.yaml:\d+:\d+: PN011 rights not explained", err), err
    assert "--draft" in err  # says how to publish drafts instead
    assert not (tmp_path / "site").exists()
    listed = set(re.findall(r"/(\w+\.yaml):\d+:\d+: ([A-Z]+\d+) ", err))
    assert listed == _check_errors(tmp_path / "project" / "content")  # the same diagnostics


def test_draft_build_marks_every_page_and_leaves_clean_ones_alone(tmp_path: Path) -> None:
    config = make_fixture_project(tmp_path / "project", [DATA / "atelier.yaml"], draft=False)
    _gapped(tmp_path / "project" / "content")
    site = tmp_path / "site"
    assert main(["build", "--config-file", str(config), "--site-dir", str(site), "--draft"]) == 0
    drafts = sorted((site / "clients" / "gapped-shop").rglob("index.html"))
    assert len(drafts) == 8  # 4 pages x fr, en
    for page in drafts:
        html = page.read_text(encoding="utf-8")
        assert NOINDEX in html.split("</head>")[0], page
        notice = soup(page).select_one("article .pp-draft-notice")
        assert notice is not None and "PN011" in notice.get_text(), page
    french = soup(site / "clients" / "gapped-shop" / "fr" / "index.html")
    assert "Brouillon" in french.select_one(".pp-draft-notice").get_text()
    assert french.select_one(".pp-draft-notice ul")["lang"] == "en"  # rule messages
    for page in (site / "clients" / "atelier-demo").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert NOINDEX not in html and "pp-draft-notice" not in html, page


def test_broken_file_fails_only_itself_in_draft_mode(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_fixture_project(tmp_path / "project", [DATA / "atelier.yaml"])
    content = tmp_path / "project" / "content"
    (content / "broken.yaml").write_text("id: broken\nlanguages: [fr\n", encoding="utf-8")
    (content / "twin.yaml").write_bytes((DATA / "atelier.yaml").read_bytes())  # same id
    site = tmp_path / "site"
    assert main(["build", "--config-file", str(config), "--site-dir", str(site)]) == 0
    assert (site / "clients" / "atelier-demo" / "fr" / "privacy" / "index.html").is_file()
    assert not (site / "clients" / "broken").exists()
    left_out = "\n".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert re.search(r"broken\.yaml:\d+:\d+: YAML", left_out), left_out
    assert re.search(r"twin\.yaml:\d+:\d+: CS008 id 'atelier-demo' is already used", left_out)


def test_check_fails_on_two_files_with_one_id(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes((DATA / "atelier.yaml").read_bytes())
    (tmp_path / "b.yaml").write_bytes((DATA / "atelier.yaml").read_bytes())
    assert _check_errors(tmp_path) == {("b.yaml", "CS008")}
    assert run_check([tmp_path]).exit_code() == 1


def test_serve_never_stops_on_one_controller(tmp_path: Path) -> None:
    """`mkdocs serve` keeps serving: controllers with gaps are drafts, broken files logged."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    config_file = make_fixture_project(tmp_path / "p", [DATA / "atelier.yaml"], draft=False)
    _gapped(tmp_path / "p" / "content")
    (tmp_path / "p" / "content" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    config = load_config(config_file=str(config_file))
    plugin = config.plugins["privacy-pages"]
    assert isinstance(plugin, PrivacyPagesPlugin)
    config.plugins.on_startup(command="serve", dirty=False)
    config.plugins.on_files(Files([]), config=config)
    assert plugin.site is not None
    assert set(plugin.site.drafts) == {"gapped-shop"}
    assert {c.id for c in plugin.site.controllers} == {"atelier-demo", "gapped-shop"}


def test_export_refuses_then_drafts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _gapped(tmp_path)
    out = tmp_path / "export"
    assert main(["export", str(path), "--out", str(out)]) == 1
    assert re.search(r"gapped\.yaml:\d+:\d+: PN011", capsys.readouterr().err)
    assert not out.exists()
    assert main(["export", str(path), "--out", str(out), "--draft"]) == 0
    fragment = (out / "gapped-shop" / "en" / "privacy.html").read_text(encoding="utf-8")
    assert fragment.startswith(NOINDEX) and "PN011" in fragment


def test_example_site_builds_its_seeds_as_drafts_explicitly(repo_site: Path) -> None:
    """The seeds have real gaps: mkdocs.yml and ./scripts/example say draft out loud."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p for p in config["plugins"] if isinstance(p, dict) and "privacy-pages" in p)
    assert options["privacy-pages"]["draft"] is True
    assert "privacy-pages build --site-dir site --draft" in (
        REPO / "scripts" / "example"
    ).read_text(encoding="utf-8")
    for path in controller_files():
        controller_id = yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
        page = repo_site / "clients" / controller_id / "fr" / "index.html"
        assert NOINDEX in page.read_text(encoding="utf-8"), page
    # The project's own reference pages are not part of the client site.
    assert not (repo_site / "rules").exists() and not (repo_site / "audit-rules").exists()


def test_repository_seeds_fail_a_build_without_drafts(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_fixture_project(project, controller_files(), draft=False)
    code = main(["build", "--config-file", str(project / "mkdocs.yml"), "--quiet"])
    assert code == 1


def _check_gaps(path: Path) -> list[tuple[str, int, int, str, str]]:
    """The error-level findings `check` reports for ``path``: (rule, line, column, pointer,
    message), in `check`'s order."""
    diagnostics = run_check([path]).diagnostics
    return [
        (d.rule, d.line, d.column, d.pointer, d.message)
        for d in diagnostics
        if d.severity.label == "error"
    ]


def _assert_draft_mark(document: dict[str, Any], source: Path, shown_path: str) -> None:
    """``document`` opens with the draft mark and lists exactly what `check` reports."""
    assert list(document)[:2] == ["draft", "gaps"]
    jsonschema.Draft202012Validator(load_schema("draft-mark.schema.json")).validate(document)
    assert document["draft"] is True
    assert {gap["path"] for gap in document["gaps"]} == {shown_path}
    listed = [
        (g["rule"], g["line"], g["column"], g["pointer"], g["message"]) for g in document["gaps"]
    ]
    assert listed == _check_gaps(source)
    assert any(g["rule"] == "PN011" and g["line"] > 0 for g in document["gaps"])


@pytest.mark.parametrize(
    ("format_", "name"), [("json", "controller.json"), ("tcf", "tcf-disclosures.json")]
)
def test_draft_export_json_carries_the_mark(tmp_path: Path, format_: str, name: str) -> None:
    path = _gapped(tmp_path)
    out = tmp_path / "export"
    assert main(["export", str(path), "--format", format_, "--out", str(out), "--draft"]) == 0
    document = json.loads((out / "gapped-shop" / name).read_text(encoding="utf-8"))
    _assert_draft_mark(document, path, "gapped.yaml")  # outside the working folder: its name
    published = out / "clean"
    assert (
        main(["export", str(DATA / "atelier.yaml"), "--format", format_, "--out", str(published)])
        == 0
    )
    text = (published / "atelier-demo" / name).read_text(encoding="utf-8")
    assert text == (GOLDEN_JSON / name).read_text(encoding="utf-8")  # byte for byte
    assert "draft" not in json.loads(text)


def test_draft_build_marks_exports_and_index(tmp_path: Path) -> None:
    project = tmp_path / "project"
    config = make_fixture_project(project, [DATA / "atelier.yaml"], draft=True)
    source = _gapped(project / "content")
    site = tmp_path / "site"
    assert main(["build", "--config-file", str(config), "--site-dir", str(site), "--quiet"]) == 0
    for name in ("controller.json", "tcf-disclosures.json"):
        draft = json.loads((site / "clients" / "gapped-shop" / name).read_text(encoding="utf-8"))
        _assert_draft_mark(draft, source, "content/gapped.yaml")  # relative to the project
        clean = (site / "clients" / "atelier-demo" / name).read_text(encoding="utf-8")
        assert clean == (GOLDEN_JSON / name).read_text(encoding="utf-8")
    index = soup(site / "clients" / "index.html")
    marks = {
        row.select_one("a.pp-controller-link")["href"].split("/")[0]: [
            mark.get_text() for mark in row.select(".pp-draft-mark")
        ]
        for row in index.select("tbody tr")
    }
    assert marks == {"atelier-demo": [], "gapped-shop": ["Draft"]}
    legend = index.select_one(".pp-draft-legend")
    assert legend is not None and legend.get_text().startswith("Draft: ")


def test_index_marks_drafts_in_words_in_each_language() -> None:
    atelier = require_controller(DATA / "atelier.yaml").data
    gapped = {**atelier, "id": "gapped-shop", "title": "Gapped Shop"}
    french = render_index([atelier, gapped], "fr", drafts={"gapped-shop"})
    assert re.search(r"Gapped Shop</a> <strong class=\"pp-draft-mark\">Brouillon</strong>", french)
    assert french.count("pp-draft-mark") == 1
    assert "Brouillon\u00a0: la vérification" in re.sub(r"<[^>]+>", "", french)
    german = render_index([gapped], "de", drafts={"gapped-shop"})
    legend = BeautifulSoup(german, "html.parser").select_one(".pp-draft-legend")
    assert ">Entwurf</strong>" in german and legend is not None and not legend.select("[lang]")
    clean = render_index([atelier, gapped], "en")
    assert "pp-draft" not in clean

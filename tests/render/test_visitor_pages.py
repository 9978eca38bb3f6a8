"""What a visitor reads on the pages (issue 19, section 4): every right explained in one
line, each cookie category with its description and its trackers, transfers without a
stray parenthesis, no audit-only host names; and the warning for a Material site that
still loads Google Fonts while the pages promise no request to another host.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_pages.i18n import translate
from privacy_pages.render import Layout, render_pages
from privacy_pages.site.build import build_site

from .conftest import DATA, make_fixture_project


def _atelier() -> dict[str, Any]:
    return dict(yaml.safe_load((DATA / "atelier.yaml").read_text(encoding="utf-8")))


def _page(data: dict[str, Any], kind: str, lang: str) -> str:
    pages = render_pages(data, Layout(), [lang])
    return next(p.markdown for p in pages if p.kind == kind)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_right_is_explained_in_one_line_unless_the_file_says_not(lang: str) -> None:
    data = _atelier()
    for entry in data["rights"]["list"]:
        entry.pop("description", None)
    data["rights"].pop("default_explanations", None)
    page = _page(data, "privacy", lang)
    for entry in data["rights"]["list"]:
        assert translate(f"right_text.{entry['right']}", lang).replace("'", "&#39;") in page
    data["rights"]["default_explanations"] = False
    page = _page(data, "privacy", lang)
    assert translate("right_text.access", lang) not in page


def test_each_category_lists_its_trackers() -> None:
    data = _atelier()
    page = _page(data, "cookies", "en")
    for category in data["cookies"]["categories"]:
        section = page.split(f'id="category-{category["id"]}"', 1)[1].split("</section>", 1)[0]
        members = [t for t in data["cookies"]["trackers"] if t.get("category") == category["id"]]
        for tracker in members:
            shown = tracker.get("name") or tracker["provider"]
            assert shown in section, (category["id"], shown)
        assert ("<strong>Trackers:</strong>" in section) is bool(members)


@pytest.mark.parametrize(
    ("transfer", "shown", "absent"),
    [
        ({"countries": ["US"]}, "<li>United States", "(United States"),
        ({"region": "North America", "countries": ["US"]}, "(United States)", None),
    ],
)
def test_a_transfer_without_region_has_no_stray_parenthesis(
    transfer: dict[str, Any], shown: str, absent: str | None
) -> None:
    data = _atelier()
    data["transfers"] = {"outside_eea": True, "destinations": [transfer]}
    page = _page(data, "privacy", "en")
    assert shown in page
    assert absent is None or absent not in page


def test_audit_only_host_names_are_not_shown_to_visitors() -> None:
    data = copy.deepcopy(_atelier())
    recipient = data["recipients"][0]
    recipient["hosts"] = ["audit-only-host.example"]
    pages = render_pages(data, Layout())
    assert not [p.src_path for p in pages if "audit-only-host.example" in p.markdown]


@pytest.mark.parametrize(
    ("theme", "plugins", "warned"),
    [
        ("  font: false\n", "", False),
        ("", "", True),  # Material's default: Roboto from Google
        ("  font: {text: Inter}\n", "", True),
    ],
)
def test_google_fonts_in_a_material_site_are_a_warning(
    tmp_path: Path, caplog: Any, theme: str, plugins: str, warned: bool
) -> None:
    config = make_fixture_project(tmp_path, [DATA / "atelier.yaml"])
    text = config.read_text(encoding="utf-8").replace("  font: false\n", theme)
    text = text.replace("plugins:\n", f"plugins:\n{plugins}")
    config.write_text(text, encoding="utf-8")
    with caplog.at_level("WARNING", logger="mkdocs"):
        build_site(config, tmp_path / "site")
    told = [r.getMessage() for r in caplog.records if "Google" in r.getMessage()]
    assert len(told) == int(warned), told
    if warned:
        assert "font: false" in told[0] and "privacy" in told[0]


def test_material_s_privacy_plugin_counts_as_no_google_fonts(tmp_path: Path) -> None:
    """Material's privacy plugin serves the fonts from the site (checked on the configuration
    only: building with it would download them)."""
    from mkdocs.config import load_config

    from privacy_pages.site.mkdocs_site import loads_google_fonts

    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ntheme:\n  name: material\n", encoding="utf-8")
    assert loads_google_fonts(load_config(str(config)))
    config.write_text(
        "site_name: x\ntheme:\n  name: material\nplugins:\n  - privacy\n", encoding="utf-8"
    )
    assert not loads_google_fonts(load_config(str(config)))

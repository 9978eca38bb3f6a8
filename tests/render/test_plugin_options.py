"""The plugin's options teach: a bad url_prefix or language is one error saying what to write;
``enabled: false`` builds the host site without a single generated file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from privacy_pages.site.build import build_site

from .conftest import DATA, make_fixture_project


def _config(tmp_path: Path, options: str) -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Host\n", encoding="utf-8")
    path = tmp_path / "mkdocs.yml"
    path.write_text(
        f"site_name: Host\ntheme: {{name: material}}\nplugins:\n  - privacy-pages:\n{options}",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("      url_prefix: /../legal\n", "'/../legal' is not a folder of the site's URLs"),
        ("      url_prefix: 'a b'\n", "use letters, digits, '-' and '_', with '/' between"),
        ("      languages: [french]\n", "'french' is not a language code: use the codes"),
        ("      index_language: 42x\n", "'42x' is not a language code"),
        ("      languages: fr\n", "Expected a list of items"),
    ],
)
def test_a_bad_option_is_one_error_that_says_what_to_write(
    tmp_path: Path, options: str, message: str
) -> None:
    errors = _errors(tmp_path, options)
    assert len(errors) == 1 and message in errors[0], errors
    assert "privacy-pages" in errors[0] and "\n" not in errors[0]
    with pytest.raises(Abort):
        load_config(str(tmp_path / "mkdocs.yml"))  # `mkdocs build` stops there, in one line


def _errors(tmp_path: Path, options: str) -> list[str]:
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    with _config(tmp_path, options).open(encoding="utf-8") as handle:
        config.load_file(handle)
    failed, _ = config.validate()
    return [f"{name}: {error}" for name, error in failed]


@pytest.mark.parametrize(
    ("value", "stored"), [("clients", "clients"), ("/legal/clients/", "legal/clients"), ("", "")]
)
def test_a_good_url_prefix_is_kept_in_one_form(tmp_path: Path, value: str, stored: str) -> None:
    config = load_config(str(_config(tmp_path, f"      url_prefix: '{value}'\n")))
    assert config.plugins["privacy-pages"].config.url_prefix == stored


def test_disabled_the_plugin_generates_nothing(tmp_path: Path) -> None:
    config = make_fixture_project(tmp_path, [DATA / "atelier.yaml"])
    text = config.read_text(encoding="utf-8").replace(
        "  - privacy-pages:\n", "  - privacy-pages:\n      enabled: false\n"
    )
    config.write_text(text, encoding="utf-8")
    shutil.copy(DATA / "hostile.yaml", tmp_path / "content" / "broken.yaml")
    (tmp_path / "content" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    site = build_site(config, tmp_path / "site", strict=True)
    assert (site / "index.html").is_file()
    assert not (site / "clients").exists()
    assert not (site / "assets" / "privacy-pages").exists()

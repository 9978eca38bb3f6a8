"""`privacy-pages generate --into DOCS_DIR`: the client pages as Markdown files, built by MkDocs
+ Material without the plugin and by Zensical (pinned in the test extras), as an agency
whose builder no longer runs MkDocs plugins would use them.

Both builds must carry every fact of each controller (the leaf walk of test_leaf_values),
show no literal ``{#...}``, give each page its language and links that resolve; the run
writes only files it lists in its manifest and never replaces an agency's page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from privacy_pages.model.content import read_controller, require_controller
from privacy_pages.site import publish
from privacy_pages.site.generate import MANIFEST

from .conftest import DATA, REPO, controller_files
from .pagetext import article_hrefs, article_text, controller_pages, normalise, soup
from .test_leaf_values import URL_KEYS, expected_strings

CONTROLLERS = [*controller_files(), DATA / "atelier.yaml"]
AGENCY_CONFIG = """\
site_name: Agence Exemple
theme:
  name: material
  language: fr
  font: false
"""


def _project(root: Path, controllers: list[Path]) -> Path:
    """An agency's site: its own mkdocs.yml and home page, and a content folder."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Agence Exemple\n", encoding="utf-8")
    (root / "content").mkdir()
    for path in controllers:
        shutil.copy(path, root / "content" / path.name)
    (root / "mkdocs.yml").write_text(AGENCY_CONFIG, encoding="utf-8")
    return root


def _generate(root: Path, *extra: str) -> tuple[int, str, str]:
    """`privacy-pages generate` run from ``root``, as a person would."""
    result = subprocess.run(
        [sys.executable, "-m", "privacy_pages.cli", "generate", "--into", "docs", *extra],
        check=False,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout, result.stderr


def _add_printed_lines(root: Path, printed: str) -> None:
    """Append the lines `generate` said to add, as a person copies them into mkdocs.yml."""
    lines = printed.split("Zensical reads it too):\n", 1)[1]
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(lines)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The agency project after `generate --draft`, built by MkDocs and by Zensical."""
    root = _project(tmp_path_factory.mktemp("agency"), CONTROLLERS)
    code, out, err = _generate(root, "--draft")
    assert code == 0, err
    _add_printed_lines(root, out)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    bin_dir = Path(sys.executable).parent
    mkdocs = subprocess.run(
        [str(bin_dir / "mkdocs"), "build", "--site-dir", "site-mkdocs"],
        check=False, cwd=root, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert mkdocs.returncode == 0, mkdocs.stderr
    zensical = subprocess.run(
        [str(bin_dir / "zensical"), "build", "--clean"],
        check=False, cwd=root, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert zensical.returncode == 0, zensical.stdout + zensical.stderr
    return {"root": root, "mkdocs": root / "site-mkdocs", "zensical": root / "site"}


def _cases() -> list[tuple[str, Path, str]]:
    return [
        (f"{builder}-{path.stem}-{lang}", path, lang, builder)  # type: ignore[misc]
        for builder in ("mkdocs", "zensical")
        for path in CONTROLLERS
        for lang in require_controller(path).data["languages"]
    ]


@pytest.mark.parametrize(
    ("path", "lang", "builder"), [c[1:] for c in _cases()], ids=[c[0] for c in _cases()]
)
def test_every_fact_is_on_the_built_pages(
    generated: dict[str, Path], path: Path, lang: str, builder: str
) -> None:
    data = require_controller(path).data
    pages = controller_pages(generated[builder], data["id"], lang)
    assert pages, f"{builder} built no page of {data['id']} in {lang}"
    text = " ".join(article_text(page) for page in pages)
    hrefs = set().union(*(article_hrefs(page) for page in pages))
    missing = []
    for pointer, candidates in expected_strings(data, lang):
        wanted = [normalise(c) for c in candidates if c]
        key = pointer.rsplit("/", 1)[-1]
        if not wanted or (key in URL_KEYS and any(w in hrefs for w in candidates)):
            continue
        if not all(w in text for w in wanted):
            missing.append(f"{pointer}: {wanted}")
    assert not missing, f"{builder}: not visible:\n" + "\n".join(missing)
    draft = bool(publish.assess(read_controller(path)).gaps)  # the seeds have real gaps
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "{#" not in article_text(page), page
        assert f'<div class="pp-page" lang="{lang}">' in html, page
        assert ('name="robots" content="noindex"' in html) is draft, page
        assert bool(soup(page).select(".pp-draft-notice")) is draft, page


def _local_target(site: Path, page: Path, href: str) -> Path | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith(("#", "mailto:")):
        return None
    base = page.parent.relative_to(site)
    target = (site / base / parts.path).resolve()
    return target / "index.html" if parts.path.endswith("/") else target


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_links_between_generated_pages_resolve(generated: dict[str, Path], builder: str) -> None:
    site = generated[builder]
    pages = sorted((site / "clients").rglob("index.html"))
    assert len(pages) > 20
    broken = []
    for page in pages:
        for href in article_hrefs(page):
            target = _local_target(site, page, href)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
    assert not broken, "\n".join(broken)
    index = soup(site / "clients" / "index.html")
    listed = {a["href"] for a in index.select("article a[href]")}
    assert {f"{path.stem}/fr/" for path in controller_files()} <= listed, listed


def test_alternates_link_the_same_page_in_each_language(generated: dict[str, Path]) -> None:
    page = generated["zensical"] / "clients" / "atelier-demo" / "en" / "cookies" / "index.html"
    switch = soup(page).select_one(".pp-languages a")
    assert switch is not None and switch["href"] == "../../fr/cookies/"
    assert switch["hreflang"] == "fr" and switch.get_text() == "Français"


def test_the_run_wrote_only_what_its_manifest_lists(generated: dict[str, Path]) -> None:
    docs = generated["root"] / "docs"
    listed = (docs / "clients" / MANIFEST).read_text(encoding="utf-8").splitlines()
    files = sorted(
        str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file() and p.name != MANIFEST
    )
    assert files == sorted(["index.md", *(line for line in listed if not line.startswith("#"))])


# --- safety and the publish gate, without building --------------------------------------


def test_an_agency_page_is_never_replaced(tmp_path: Path) -> None:
    root = _project(tmp_path, [DATA / "atelier.yaml"])
    own = root / "docs" / "clients" / "index.md"
    own.parent.mkdir()
    own.write_text("# Nos clients\n", encoding="utf-8")
    code, out, err = _generate(root)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "docs/clients/index.md" in err and "never replaced" in err
    assert own.read_text(encoding="utf-8") == "# Nos clients\n"
    assert sorted(p.name for p in own.parent.iterdir()) == ["index.md"]  # nothing written


def test_a_second_run_replaces_its_own_files_and_keeps_the_agency_s(tmp_path: Path) -> None:
    root = _project(tmp_path, [DATA / "atelier.yaml", REPO / "content" / "ozio-france.yaml"])
    assert _generate(root, "--draft")[0] == 0
    notes = root / "docs" / "clients" / "ozio-france" / "notes.md"
    notes.write_text("# Notes de l'agence\n", encoding="utf-8")
    (root / "content" / "ozio-france.yaml").unlink()
    code, out, _ = _generate(root, "--draft")
    assert code == 0 and "old file(s) removed" in out
    clients = root / "docs" / "clients"
    assert notes.is_file()  # the agency's file, and the folder holding it, stay
    assert sorted(p.name for p in (clients / "ozio-france").iterdir()) == ["notes.md"]
    assert (clients / "atelier-demo" / "fr" / "cookies" / "index.md").is_file()


def test_a_file_with_errors_stops_the_run_unless_draft(tmp_path: Path) -> None:
    root = _project(tmp_path, [REPO / "content" / "ozio-france.yaml"])
    code, out, err = _generate(root)
    assert code == 1 and out == ""
    assert "not published" in err and "ozio-france.yaml:" in err and "--draft" in err
    assert not (root / "docs" / "clients").exists()


@pytest.mark.parametrize("prefix", ["../outside", "a/../../b", "a\\b"])
def test_a_prefix_leaving_the_docs_folder_is_refused(tmp_path: Path, prefix: str) -> None:
    root = _project(tmp_path, [DATA / "atelier.yaml"])
    code, _, err = _generate(root, "--url-prefix", prefix)
    assert code == 2 and err.count("\n") == 1 and "--url-prefix" in err
    assert sorted(p.name for p in root.iterdir()) == ["content", "docs", "mkdocs.yml"]


def test_a_linked_prefix_folder_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path / "agency", [DATA / "atelier.yaml"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "docs" / "clients").symlink_to(elsewhere)
    code, _, err = _generate(root)
    assert code == 2 and "leads outside" in err
    assert list(elsewhere.iterdir()) == []


def test_it_says_which_lines_the_site_lacks_then_that_none_is_missing(tmp_path: Path) -> None:
    root = _project(tmp_path, [DATA / "atelier.yaml"])
    code, out, _ = _generate(root)
    assert code == 0
    assert out.splitlines()[1:] == [
        "add to mkdocs.yml (Zensical reads it too):",
        "extra_css:",
        "  - clients/privacy-pages.css",
        "markdown_extensions:",
        "  - attr_list",
        "  - md_in_html",
    ]
    _add_printed_lines(root, out)
    code, out, _ = _generate(root)
    assert out.splitlines()[1] == (
        "mkdocs.yml already loads the stylesheet and the Markdown extensions needed"
    )


def test_the_plugin_says_once_that_other_builders_ignore_it(
    tmp_path: Path, caplog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from privacy_pages.site import mkdocs_plugin
    from privacy_pages.site.build import build_site

    monkeypatch.setattr(mkdocs_plugin, "_told_other_builders", False)  # a fresh process

    from .conftest import make_fixture_project

    config = make_fixture_project(tmp_path, [DATA / "atelier.yaml"])
    with caplog.at_level("INFO", logger="mkdocs"):
        build_site(config, tmp_path / "site")
        build_site(config, tmp_path / "site")
    told = [r.getMessage() for r in caplog.records if "generate" in r.getMessage()]
    assert len(told) == 1, told
    assert "Zensical" in told[0] and "privacy-pages generate --into" in told[0]

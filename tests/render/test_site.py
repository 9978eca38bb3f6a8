"""The built site: strict build of the repository, languages, navigation, index, no
third-party requests, machine-readable files, and the `build` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from privacy_pages.cli import main
from privacy_pages.model.content import require_controller
from privacy_pages.site.build import build_site
from privacy_pages.site.site_dir import MARKER

from .conftest import DATA, REPO, controller_files, make_fixture_project
from .pagetext import controller_pages, soup

# Elements and attributes that make the browser fetch something by itself.
_FETCHING = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "track": ["src"],
    "input": ["src"],
    "image": ["href", "xlink:href"],
    "use": ["href"],
}
_FETCHING_LINK_RELS = {
    "stylesheet",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "modulepreload",
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


def _is_external(url: str) -> bool:
    url = url.strip()
    if url.startswith(("data:", "#")):
        return False
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("//"))


def _requests_of(html: str) -> list[str]:
    document = BeautifulSoup(html, "html.parser")
    urls: list[str] = []
    for name, attributes in _FETCHING.items():
        for element in document.find_all(name):
            for attribute in attributes:
                value = element.get(attribute)
                if value:
                    urls += [v.split()[0] for v in str(value).split(",") if v.strip()]
    for link in document.find_all("link"):
        rels = {r.lower() for r in link.get("rel") or []}
        if rels & _FETCHING_LINK_RELS and link.get("href"):
            urls.append(link["href"])
    for element in document.find_all(style=True):
        urls += _CSS_URL.findall(element["style"])
    for style in document.find_all("style"):
        urls += _CSS_URL.findall(style.get_text()) + _CSS_IMPORT.findall(style.get_text())
    return urls


def test_repository_builds_with_strict(repo_site: Path) -> None:
    assert (repo_site / "index.html").is_file()
    for path in controller_files():
        data = require_controller(path).data
        for lang in data["languages"]:
            for page in controller_pages(repo_site, data["id"], lang):
                assert page.is_file(), page


def test_mkdocs_build_strict_command_line(tmp_path: Path) -> None:
    """`mkdocs build --strict` on the repository as cloned, the way a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "s")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (REPO / "docs" / "clients").exists(), "pages must not be written into docs/"


def test_no_request_to_another_host(repo_site: Path) -> None:
    offenders = []
    for page in repo_site.rglob("*.html"):
        for url in _requests_of(page.read_text(encoding="utf-8")):
            if _is_external(url):
                offenders.append(f"{page.relative_to(repo_site)}: {url}")
    for css in repo_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in _CSS_URL.findall(text) + _CSS_IMPORT.findall(text):
            if _is_external(url):
                offenders.append(f"{css.relative_to(repo_site)}: {url}")
    assert not offenders, "pages fetch from other hosts:\n" + "\n".join(offenders[:20])


def test_html_lang_and_hreflang_alternates(repo_site: Path) -> None:
    for path in controller_files():
        data = require_controller(path).data
        for lang in data["languages"]:
            for page in controller_pages(repo_site, data["id"], lang):
                document = soup(page)
                assert document.html is not None and document.html["lang"] == lang, page
                alternates = {
                    link["hreflang"]: link["href"]
                    for link in document.select('link[rel="alternate"][hreflang]')
                }
                assert set(data["languages"]) <= set(alternates), page
                for other, href in alternates.items():
                    if other == "x-default":
                        continue
                    target = (page.parent / href / "index.html").resolve()
                    same_page = Path(str(page.resolve()).replace(f"/{lang}/", f"/{other}/", 1))
                    assert target == same_page, f"{page}: alternate {href} is not the same page"


def test_language_switcher_links_same_page(repo_site: Path) -> None:
    data = require_controller(controller_files()[0]).data
    first, *others = data["languages"]
    page = repo_site / "clients" / data["id"] / first / "cookies" / "index.html"
    links = {a["hreflang"]: a["href"] for a in soup(page).select("a.md-select__link")}
    for other in others:
        assert links[other] == f"../../{other}/cookies/"


def test_navigation_is_per_controller_and_language(repo_site: Path) -> None:
    files = controller_files()
    data = require_controller(files[0]).data
    lang = data["languages"][0]
    page = repo_site / "clients" / data["id"] / lang / "privacy" / "index.html"
    nav = soup(page).select_one("nav.md-nav--primary")
    assert nav is not None
    hrefs = [a["href"] for a in nav.select("a[href]")]
    for other in files[1:]:
        other_id = require_controller(other).data["id"]
        assert not any(other_id in href for href in hrefs), f"{other_id} in {data['id']}'s nav"
    assert len(nav.select("a.md-nav__link")) < 40


def test_index_links_every_controller(repo_site: Path) -> None:
    index = soup(repo_site / "clients" / "index.html")
    hrefs = {a["href"] for a in index.select("a.pp-controller-link")}
    for path in controller_files():
        data = require_controller(path).data
        lang = "en" if "en" in data["languages"] else data["languages"][0]
        assert f"{data['id']}/{lang}/" in hrefs, data["id"]


def test_machine_readable_files_beside_pages(repo_site: Path) -> None:
    for path in controller_files():
        data = require_controller(path).data
        folder = repo_site / "clients" / data["id"]
        exported = json.loads((folder / "controller.json").read_text(encoding="utf-8"))
        assert exported["id"] == data["id"]
        tcf = json.loads((folder / "tcf-disclosures.json").read_text(encoding="utf-8"))
        for entry in tcf["disclosures"]:
            assert set(entry) >= {
                "identifier",
                "type",
                "maxAgeSeconds",
                "cookieRefresh",
                "domain",
                "purposes",
            }
            assert entry["type"] in ("cookie", "web")


def test_effective_date_and_changelog_on_every_page(fixture_site: Path) -> None:
    for page in controller_pages(fixture_site, "atelier-demo", "en"):
        document = soup(page)
        assert "Effective date: January 1, 2025" in document.get_text(), page
        assert document.select_one("details.pp-changelog") is not None, page


def test_fallback_is_marked_with_its_language(fixture_site: Path) -> None:
    page = fixture_site / "clients" / "atelier-demo" / "en" / "privacy" / "index.html"
    document = soup(page)
    assert document.select_one(".pp-fallback-notice") is not None
    block = document.find(string=re.compile("Vous envoyer notre lettre"))
    assert block is not None and block.find_parent(attrs={"lang": "fr"}) is not None


def test_bad_content_stops_the_build_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.yaml").write_text(
        "id: Bad_ID\nlanguages: [fr]\ncontroller:\n  nmae: x\n", encoding="utf-8"
    )
    (bad / "b.yaml").write_text("id: ok\nlanguages: [fr\n", encoding="utf-8")
    config = make_fixture_project(tmp_path / "project", [DATA / "atelier.yaml"], draft=False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("previous build", encoding="utf-8")
    (site / MARKER).write_text("", encoding="utf-8")  # the previous build was ours
    code = main(
        [
            "build",
            "--config-file",
            str(config),
            "--content",
            str(bad),
            "--site-dir",
            str(site),
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"bad/a\.yaml:1:\d+: SCHEMA001", err), err
    assert re.search(r"bad/a\.yaml:4:\d+: SCHEMA002 unknown key 'nmae'", err), err
    assert re.search(r"bad/b\.yaml:\d+:\d+: YAML", err), err
    assert (site / "keep.txt").read_text(encoding="utf-8") == "previous build"


def test_build_command_without_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "atelier.yaml").write_bytes((DATA / "atelier.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--strict", "--quiet"]) == 0
    assert (tmp_path / "site" / "atelier-demo" / "fr" / "cookies" / "index.html").is_file()
    assert "Atelier" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["html", "markdown", "json", "tcf"])
def test_export_command(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "export",
                str(DATA / "atelier.yaml"),
                "--format",
                fmt,
                "--lang",
                "en",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    written = capsys.readouterr().out.split()
    assert written and all(Path(p).is_file() for p in written)


def test_export_rejects_undeclared_language(tmp_path: Path) -> None:
    assert main(["export", str(DATA / "atelier.yaml"), "--lang", "de", "--out", str(tmp_path)]) == 2


def test_language_filter_builds_and_links_only_those_languages(tmp_path: Path) -> None:
    config = make_fixture_project(tmp_path / "project", [DATA / "atelier.yaml"])
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("content_dir: content", "content_dir: content\n      languages: [fr]"),
        encoding="utf-8",
    )
    site = build_site(config, tmp_path / "site", strict=True)
    assert (site / "clients" / "atelier-demo" / "fr" / "cookies" / "index.html").is_file()
    assert not (site / "clients" / "atelier-demo" / "en").exists()
    for page in (site / "clients").rglob("*.html"):
        hrefs = [a.get("href", "") for a in soup(page).select("a[href]")]
        assert not any("/en/" in h or h.startswith("en/") for h in hrefs), page

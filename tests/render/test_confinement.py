"""Nothing a controller file says puts a page outside the site, or over a page of the site.

A file may not suppress its own YAML or SCHEMA errors (CS013), so an id such as
``../../victim`` stops `check`, `build`, `export` and the plugin; and whatever validated a
name before, every path built from an id, a language or a ``url_prefix`` goes through
`privacy_pages.confined`. In an existing MkDocs site, a generated page that would land on
one of the site's own files is an error naming both, and controller files kept inside
``docs_dir`` are not published.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path, PurePosixPath

import pytest

from privacy_pages.cli import main
from privacy_pages.confined import UnsafePath, check_name, confined_path, split_relative
from privacy_pages.render.layout import Layout

from .conftest import DATA

VICTIM_ID = "../../victim"


def tree(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every entry under ``root`` (files by content, folders and links by kind), ``skip`` out."""
    found: dict[str, str] = {}
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = [n for n in subfolders if here / n not in skip]
        for name in subfolders:
            found[str((here / name).relative_to(root))] = "dir"
        for name in names:
            path = here / name
            if path.is_symlink():
                found[str(path.relative_to(root))] = "link:" + os.readlink(path)
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[str(path.relative_to(root))] = digest
    return found


def _hostile(text: str, new_id: str, *, suppress: bool = True) -> str:
    text = re.sub(r"^id: .*$", f'id: "{new_id}"', text, count=1, flags=re.MULTILINE)
    if suppress:
        text += "suppressions:\n  - {rule: SCHEMA001, reason: the id is what the client wants}\n"
    return text


@pytest.fixture
def nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project two folders below ``tmp_path``, as the working folder, with a victim beside."""
    project = tmp_path / "agency" / "sites" / "project"
    (project / "content").mkdir(parents=True)
    victim = tmp_path / "agency" / "victim"
    victim.mkdir()
    (victim / "index.html").write_text("<p>another client's page</p>", encoding="utf-8")
    (victim / "controller.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(project)
    return project


def test_a_file_cannot_suppress_its_schema_errors(nested: Path, capsys) -> None:
    atelier = (DATA / "atelier.yaml").read_text(encoding="utf-8")
    (nested / "content" / "victim.yaml").write_text(_hostile(atelier, VICTIM_ID), encoding="utf-8")
    code = main(["check", "content", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert '"SCHEMA001"' in out and '"CS013"' in out
    assert '"suppressed": []' in out


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--quiet", "--site-dir", "site"],
        ["build", "--quiet", "--site-dir", "site", "--draft"],
        ["export", "content/victim.yaml", "--out", "export"],
        ["export", "content/victim.yaml", "--format", "json", "--out", "export"],
        ["export", "content/victim.yaml", "--format", "tcf", "--out", "export", "--draft"],
    ],
    ids=["build", "build-draft", "export-html", "export-json", "export-tcf-draft"],
)
def test_an_id_that_leaves_its_folder_is_never_published(
    nested: Path, argv: list[str], capsys
) -> None:
    atelier = (DATA / "atelier.yaml").read_text(encoding="utf-8")
    (nested / "content" / "victim.yaml").write_text(_hostile(atelier, VICTIM_ID), encoding="utf-8")
    top = nested.parents[1]
    before = tree(top, skip=(nested / "site", nested / "export"))
    code = main(argv)
    err = capsys.readouterr().err
    assert code == (0 if "--draft" in argv and "build" in argv else 1), err
    assert "Traceback" not in err
    assert "SCHEMA001" in err and "../../victim" in err, err
    assert tree(top, skip=(nested / "site", nested / "export")) == before
    assert not (nested / "export").exists()
    assert not list(nested.rglob("victim")), list(nested.rglob("victim"))


def test_the_plugin_with_drafts_off_refuses_the_file(tmp_path: Path) -> None:
    from privacy_pages.site.build import ContentBuildError, build_site

    from .conftest import make_fixture_project

    project = tmp_path / "a" / "b" / "project"
    config = make_fixture_project(project, [], draft=False)
    atelier = (DATA / "atelier.yaml").read_text(encoding="utf-8")
    (project / "content" / "victim.yaml").write_text(_hostile(atelier, VICTIM_ID), "utf-8")
    before = tree(tmp_path, skip=(project / "site",))
    with pytest.raises(ContentBuildError) as error:
        build_site(config, project / "site")
    assert "SCHEMA001" in str(error.value) and "victim.yaml" in str(error.value)
    assert tree(tmp_path, skip=(project / "site",)) == before


@pytest.mark.parametrize(
    "name", ["..", ".", "", "a/b", "/etc", "a\\b", "a\x00b", "a\x1b[31m", "x" * 256]
)
def test_names_that_would_leave_their_root_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePath) as error:
        confined_path(tmp_path, name, what="controller id")
    assert "\n" not in str(error.value) and "\x1b" not in str(error.value)
    with pytest.raises(UnsafePath):
        Layout().src_path(name, "fr", "privacy")
    with pytest.raises(UnsafePath):
        Layout().src_path("shop", name, "privacy")


def test_a_symlink_inside_the_root_does_not_lead_out(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "shop").symlink_to(tmp_path)
    with pytest.raises(UnsafePath):
        confined_path(root, "shop", "index.html")
    assert confined_path(root, "atelier", "index.html") == root / "atelier" / "index.html"
    assert str(confined_path(PurePosixPath("clients"), "atelier", "fr")) == "clients/atelier/fr"
    assert check_name("atelier-démo") == "atelier-démo"
    assert split_relative("a/b/", "url_prefix") == ["a", "b"]


# --- the plugin in a site of its own --------------------------------------------------------

SITE_MKDOCS = """\
site_name: Agency
docs_dir: docs
theme: {{name: material, font: false}}
plugins:
  - privacy-pages:
      content_dir: {content}
      url_prefix: {prefix}
markdown_extensions: [toc, attr_list, admonition]
"""


def _site(tmp_path: Path, *, prefix: str = "clients", content: str = "content") -> Path:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Agency\n", encoding="utf-8")
    folder = project / content
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "atelier.yaml").write_bytes((DATA / "atelier.yaml").read_bytes())
    config = project / "mkdocs.yml"
    config.write_text(SITE_MKDOCS.format(content=content, prefix=f"'{prefix}'"), "utf-8")
    return config


def _plugin_build(config: Path, caplog: pytest.LogCaptureFixture) -> tuple[int, str]:
    """Build with the plugin; (1, the error MkDocs logged) when the build aborts."""
    from mkdocs.exceptions import Abort, PluginError

    from privacy_pages.site.build import build_site

    caplog.clear()
    try:
        build_site(config, config.parent / "site")
    except (PluginError, Abort) as error:
        logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
        return 1, "\n".join(logged) or str(error)
    return 0, ""


@pytest.mark.parametrize(
    ("own", "generated"),
    [
        ("clients.md", "clients/index.md"),
        ("clients/README.md", "clients/index.md"),
        ("clients/atelier-demo/fr/index.html", "clients/atelier-demo/fr/index.md"),
        ("clients/atelier-demo/en/privacy/index.html", "clients/atelier-demo/en/privacy.md"),
        ("clients/atelier-demo/controller.json", "clients/atelier-demo/controller.json"),
    ],
)
def test_a_page_of_the_site_is_never_replaced_by_a_generated_one(
    tmp_path: Path, own: str, generated: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = _site(tmp_path)
    page = config.parent / "docs" / own
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("the agency's own page\n", encoding="utf-8")
    code, message = _plugin_build(config, caplog)
    assert code == 1, message
    assert own in message and generated in message, message
    assert message.count("\n") == 0
    assert not (config.parent / "site").exists()


@pytest.mark.parametrize("prefix", ["../..", "a/../..", "clients\x00", "..\\x"])
def test_a_url_prefix_outside_the_site_is_refused(
    tmp_path: Path, prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = _site(tmp_path, prefix=prefix.replace("\x00", "\\0"))
    if "\x00" in prefix:
        text = config.read_text(encoding="utf-8").replace("'clients\\0'", '"clients\\0"')
        config.write_text(text, encoding="utf-8")
    before = tree(tmp_path)
    code, message = _plugin_build(config, caplog)
    assert code == 1 and "url_prefix" in message, message
    assert tree(tmp_path) == before


def test_controller_files_inside_docs_are_not_published(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _site(tmp_path, content="docs/clients-data")
    code, message = _plugin_build(config, caplog)
    assert code == 0, message
    site = config.parent / "site"
    assert (site / "clients" / "atelier-demo" / "fr" / "index.html").is_file()
    assert not list(site.rglob("*.yaml")), sorted(site.rglob("*.yaml"))

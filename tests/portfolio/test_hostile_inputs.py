"""The portfolio commands on hostile files and flags: nothing outside their folders, no traceback.

`portfolio --out` replaces only a folder of its own, away from the audits and the content;
`audit diff`, `suggest` and `portfolio` read reports and run records through the schemas
and answer one line, exit 2; what a site named is escaped on the terminal; `--shard` takes
only I/N; `suggest --write` only adds lines and refuses read-only or changed files.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.cli.portfolio import PORTFOLIO_FOLDER

from ..conftest import REPO
from ..conftest import spawn as cli

GOLDEN_REPORT = REPO / "tests" / "data" / "audit" / "golden" / "shop-bad.report.json"


def tree(root: Path) -> dict[str, str]:
    """Every entry under ``root``: regular files by the hash of their content, the others
    (folders, links, pipes) by their kind, never opened."""
    return {str(p.relative_to(root)): _kind(p) for p in sorted(root.rglob("*"))}


def _kind(path: Path) -> str:
    if path.is_symlink():
        return "link"
    if path.is_dir():
        return "dir"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "special"


def one_line_failure(result: Any, command: str) -> None:
    """Exit 2, one line on stderr naming the command, no traceback, no control character."""
    assert result.code == 2, (result.out, result.err)
    assert result.err.startswith(f"privacy-pages {command}: error: "), result.err
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err and "\x1b" not in result.err


def _golden() -> dict[str, Any]:
    return json.loads(GOLDEN_REPORT.read_text(encoding="utf-8"))


def _run(root: Path, cid: str, name: str, **record: Any) -> Path:
    run = root / cid / name
    run.mkdir(parents=True)
    document = {"format_version": 1, "run": name, "controller": cid, "verdict": "pass",
                "counts": {"error": 0, "warning": 0, "info": 0}, **record}  # fmt: skip
    (run / "run.json").write_text(json.dumps(document), encoding="utf-8")
    (run / "report.html").write_text(f"<title>{cid}</title>", encoding="utf-8")
    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder in the test's own folder: content/, audits/ of one client, and an
    earlier portfolio.json."""
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "content" / "shop.yaml").write_text("id: shop\nlanguages: [en]\n", "utf-8")
    _run(project / "audits", "shop", "20261101T000000Z", file="content/shop.yaml")
    (project / "portfolio.json").write_text("{}", encoding="utf-8")
    return project


# --- portfolio --out ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "out", [".", "audits", "audits/portfolio", "content", "content/portfolio", ".."]
)
def test_portfolio_never_replaces_the_project_the_audits_or_the_content(
    project: Path, out: str
) -> None:
    before = tree(project.parent)
    result = cli("portfolio", "audits", "--out", out, cwd=project)
    one_line_failure(result, "portfolio")
    assert tree(project.parent) == before


def test_portfolio_never_replaces_a_folder_that_contains_the_audits(tmp_path: Path) -> None:
    _run(tmp_path / "site" / "audits", "shop", "20261101T000000Z")
    before = tree(tmp_path)
    one_line_failure(cli("portfolio", "site/audits", "--out", "site", cwd=tmp_path), "portfolio")
    assert tree(tmp_path) == before


def test_portfolio_replaces_only_a_new_empty_or_marked_folder(project: Path) -> None:
    theirs = project / "public"
    theirs.mkdir()
    (theirs / "portfolio.json").write_text("{}", encoding="utf-8")
    (theirs / "notes.txt").write_text("the agency's", encoding="utf-8")
    one_line_failure(cli("portfolio", "audits", "--out", "public", cwd=project), "portfolio")
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "the agency's"
    (theirs / PORTFOLIO_FOLDER.marker).symlink_to(project / "portfolio.json")
    one_line_failure(cli("portfolio", "audits", "--out", "public", cwd=project), "portfolio")
    assert cli("portfolio", "audits", "--out", "new", cwd=project).code == 0
    assert (project / "new" / PORTFOLIO_FOLDER.marker).is_file()
    (project / "new" / "stale.html").write_text("old", encoding="utf-8")
    assert cli("portfolio", "audits", "--out", "new", cwd=project).code == 0
    assert not (project / "new" / "stale.html").exists()
    (project / "empty").mkdir()
    assert cli("portfolio", "audits", "--out", "empty", cwd=project).code == 0


def test_a_portfolio_written_before_the_marker_is_still_ours(project: Path) -> None:
    old = project / "old"
    (old / "reports").mkdir(parents=True)
    (old / "portfolio.json").write_text("{}", encoding="utf-8")
    (old / "index.html").write_text("<p>old</p>", encoding="utf-8")
    assert cli("portfolio", "audits", "--out", "old", cwd=project).code == 0
    assert "shop" in (old / "index.html").read_text(encoding="utf-8")


# --- reports and run records through the schema ---------------------------------------------


def _set(document: Any, pointer: str, value: Any) -> Any:
    """``document`` with the value at ``pointer`` replaced (or removed when ``value`` is ...)."""
    document = copy.deepcopy(document)
    *parents, last = pointer.strip("/").split("/")
    node = document
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return document


WRONG_REPORTS = {
    "a list": [],
    "findings an object": ("/findings", {}),
    "phases a string": ("/observations/phases", "before-consent"),
    "a phase without its name": ("/observations/phases/0/phase", ...),
    "a cookie as a string": ("/observations/phases/0/cookies/0", "_ga"),
    "a cookie name a number": ("/observations/phases/0/cookies/0/name", 7),
    "a storage key null": ("/observations/phases/0/storage/0/key", None),
    "a string count": ("/summary/counts/error", "3"),
    "a request without host": ("/observations/phases/0/requests/0/host", ...),
    "a finding null": ("/findings/0", None),
    "a finding's cookie a list": ("/findings/0/cookie", ["_ga"]),
    "an unknown severity": ("/findings/0/severity", 7),
}


def _wrong(case: str) -> Any:
    spec = WRONG_REPORTS[case]
    return spec if not isinstance(spec, tuple) else _set(_golden(), *spec)


@pytest.mark.parametrize("case", sorted(WRONG_REPORTS))
def test_diff_of_a_wrong_typed_report_is_one_line(tmp_path: Path, case: str) -> None:
    good = tmp_path / "good.json"
    good.write_text(GOLDEN_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "bad" / "report.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps(_wrong(case)), encoding="utf-8")
    for old, new in ((good, bad.parent), (bad, good)):
        result = cli("audit", "diff", str(old), str(new))
        one_line_failure(result, "audit diff")
        assert "report.json" in result.err and "not an audit report" in result.err


@pytest.mark.parametrize("case", ["a list", "a cookie as a string", "a finding's cookie a list",
                                  "a storage key null", "findings an object"])  # fmt: skip
def test_suggest_on_a_wrong_typed_report_is_one_line(tmp_path: Path, case: str) -> None:
    controller = tmp_path / "shop.yaml"
    controller.write_text("id: shop\nlanguages: [en]\n", encoding="utf-8")
    report = tmp_path / "report.json"
    report.write_text(json.dumps(_wrong(case)), encoding="utf-8")
    result = cli("suggest", str(report), str(controller), "--write")
    one_line_failure(result, "suggest")
    assert controller.read_text(encoding="utf-8") == "id: shop\nlanguages: [en]\n"


def test_a_pipe_or_nan_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    one_line_failure(cli("audit", "diff", str(fifo), str(GOLDEN_REPORT)), "audit diff")
    nan = tmp_path / "nan.json"
    pointer = "/observations/phases/0/cookies/0/lifetime_seconds"
    nan.write_text(json.dumps(_set(_golden(), pointer, float("nan"))), encoding="utf-8")
    assert "NaN" in nan.read_text(encoding="utf-8")
    one_line_failure(cli("audit", "diff", str(nan), str(GOLDEN_REPORT)), "audit diff")


def test_portfolio_names_a_wrong_run_record_and_keeps_the_others(tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    _run(audits, "good", "20261101T000000Z")
    for cid, record in (
        ("list", []),
        ("counts", {"format_version": 1, "controller": "counts", "verdict": "pass",
                    "counts": {"error": "3"}}),
        ("sites", {"format_version": 1, "controller": "sites", "verdict": "fail",
                   "counts": {}, "sites": [{"url": "x", "folder": "../../.."}]}),
    ):  # fmt: skip
        run = _run(audits, cid, "20261101T000000Z")
        (run / "run.json").write_text(json.dumps(record), encoding="utf-8")
    result = cli("portfolio", str(audits), "--out", str(tmp_path / "p"))
    assert result.code == 0, result.err
    warnings = result.err.splitlines()
    assert len(warnings) == 3 and all("not a run record" in w for w in warnings), warnings
    document = json.loads((tmp_path / "p" / "portfolio.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in document["clients"]] == ["good"]
    assert sorted(p.name for p in (tmp_path / "p" / "reports").iterdir()) == ["good.html"]


# --- what a site names reaches the terminal escaped -----------------------------------------

HOSTILE_KEY = "\x1b]0;owned\x07\x1b[2J\u202ekey"


def test_diff_escapes_what_the_site_named(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(GOLDEN_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    new = tmp_path / "new.json"
    new.write_text(
        json.dumps(_set(_golden(), "/observations/phases/0/storage/0/key", HOSTILE_KEY)), "utf-8"
    )
    result = cli("audit", "diff", str(old), str(new))
    assert result.code == 0, result.err
    assert "\\x1b]0;owned\\x07\\x1b[2J\\u202ekey" in result.out
    assert not set(result.out) & {"\x1b", "\x07", "\u202e"}


def test_suggest_escapes_what_the_site_named(tmp_path: Path) -> None:
    report = _golden()
    assert report["findings"][1]["rule"] == "DC01"  # undeclared: suggest declares it
    report = _set(report, "/findings/1/cookie/name", HOSTILE_KEY)
    controller = tmp_path / "shop.yaml"
    controller.write_text("id: shop\nlanguages: [en]\n", encoding="utf-8")
    (tmp_path / "report.json").write_text(json.dumps(report), encoding="utf-8")
    result = cli("suggest", str(tmp_path), str(controller), "--write")
    assert result.code == 0, result.err
    assert "\\x1b]0;owned" in result.err  # the names it declared
    out = result.out + result.err
    assert not set(out) & {"\x1b", "\x07", "\u202e"}, out
    assert '"\\e]0;owned\\a' in controller.read_text(encoding="utf-8")  # YAML's own escape


# --- --shard --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", " ", "9" * 4300 + "/2", "1/" + "9" * 4300, "½/2"])
def test_a_shard_that_is_not_i_of_n_is_one_line(tmp_path: Path, value: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "shop.yaml").write_text(
        "id: shop\nlanguages: [en]\nwebsite: http://127.0.0.1:9/\n", encoding="utf-8"
    )
    result = cli("audit", "--all", str(content), "--out", str(tmp_path / "a"), "--shard", value)
    one_line_failure(result, "audit")
    assert "--shard" in result.err and len(result.err) < 200
    assert not (tmp_path / "a").exists()


# --- suggest --write keeps the file as written ----------------------------------------------

CONTROLLER_4 = (
    "id: shop\nlanguages: [en]\ncookies:\n"
    "    categories:\n        - {id: &necessary necessary, kind: strictly_necessary}\n"
    "    trackers:\n        - name: sid   # session\n          category: *necessary\n"
    "          lifetime: session\n...\n"
)


def _suggest_report(folder: Path) -> Path:
    report = _golden()
    for phase in report["observations"]["phases"]:
        phase["cookies"] = [c for c in phase["cookies"] if c["name"] == "_hjid"]
    report["findings"] = [f for f in report["findings"] if f["rule"] == "DC01" and "cookie" in f][
        :1
    ]
    assert report["findings"][0]["cookie"]["name"] == "_hjid"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("four-spaces", CONTROLLER_4.encode()),
        ("crlf", CONTROLLER_4.replace("\n", "\r\n").encode()),
        ("bom", b"\xef\xbb\xbf" + CONTROLLER_4.encode()),
        ("two-spaces-no-end", CONTROLLER_4.replace("    ", "  ").replace("...\n", "").encode()),
    ],
)
def test_suggest_write_only_adds_lines(tmp_path: Path, name: str, raw: bytes) -> None:
    controller = tmp_path / f"{name}.yaml"
    controller.write_bytes(raw)
    controller.chmod(0o640)
    result = cli("suggest", str(_suggest_report(tmp_path / "r")), str(controller), "--write")
    assert result.code == 0, result.err
    written = controller.read_bytes()
    lines, before = written.splitlines(keepends=True), raw.splitlines(keepends=True)
    added = [line for line in lines if line not in before]
    assert [line for line in lines if line not in added] == before  # every old line, in order
    assert added and b"_hjid" in added[0], written
    ending = b"\r\n" if b"\r\n" in raw else b"\n"
    assert all(line.endswith(ending) for line in added)
    assert written.startswith(raw[:3])  # the byte-order mark, when there is one
    assert stat.S_IMODE(controller.stat().st_mode) == 0o640
    check = cli("check", str(controller), "--format", "json")
    assert '"YAML' not in check.out and '"SCHEMA00' not in check.out, check.out


def test_suggest_write_refuses_a_read_only_file(tmp_path: Path) -> None:
    controller = tmp_path / "shop.yaml"
    controller.write_text(CONTROLLER_4, encoding="utf-8")
    controller.chmod(0o444)
    result = cli("suggest", str(_suggest_report(tmp_path / "r")), str(controller), "--write")
    one_line_failure(result, "suggest")
    assert "read-only" in result.err
    assert controller.read_text(encoding="utf-8") == CONTROLLER_4


def test_suggest_write_refuses_a_file_changed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from privacy_audit.portfolio import suggest
    from privacy_pages.cli import main

    controller = tmp_path / "shop.yaml"
    controller.write_text(CONTROLLER_4, encoding="utf-8")
    real_apply = suggest.apply

    def apply_while_someone_edits(*args: Any) -> str:
        controller.write_text(CONTROLLER_4 + "# edited meanwhile\n", encoding="utf-8")
        return real_apply(*args)

    monkeypatch.setattr(suggest, "apply", apply_while_someone_edits)
    code = main(["suggest", str(_suggest_report(tmp_path / "r")), str(controller), "--write"])
    err = capsys.readouterr().err
    assert code == 2 and "changed since suggest read it" in err, err
    assert controller.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


# --- the report folder of a single audit ----------------------------------------------------


@pytest.mark.parametrize("out", [".", "..", "content", "content/.."])
def test_a_single_audit_never_replaces_the_project_or_the_content(project: Path, out: str) -> None:
    before = tree(project.parent)
    result = cli("audit", "content/shop.yaml", "--out", out, "--browser", "/bin/false",
                 cwd=project)  # fmt: skip
    one_line_failure(result, "audit")
    assert "--out: " in result.err
    assert tree(project.parent) == before


@pytest.mark.parametrize("argv", [["--shard", ""], ["--keep", "0"], ["--shard", "1/2"]])
def test_portfolio_options_without_all_are_refused(project: Path, argv: list[str]) -> None:
    result = cli("audit", "content/shop.yaml", *argv, cwd=project)
    one_line_failure(result, "audit")
    assert "--shard, --keep and --run-id go with --all" in result.err


def test_a_portfolio_of_ours_that_now_holds_the_audits_is_not_replaced(project: Path) -> None:
    assert cli("portfolio", "audits", "--out", "site", cwd=project).code == 0
    (project / "audits").rename(project / "site" / "audits")
    before = tree(project)
    result = cli("portfolio", "site/audits", "--out", "site", cwd=project)
    one_line_failure(result, "portfolio")
    assert tree(project) == before

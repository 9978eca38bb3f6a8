"""Fuzz: seeded mutations of the bundled controllers through `check`, in process.

``PRIVACY_PAGES_FUZZ_CASES`` sets how many (default 300, a few seconds; `.ci/run` runs
2,000) and ``PRIVACY_PAGES_FUZZ_SEED`` which (default 9): a failure names its case, which
the same seed replays.

Asserted for each: the run ends with 0, 1 or 2, never an exception, and every diagnostic
names the file and a line and column. Every format renders (JUnit as well-formed XML,
text without a raw control character); a file that passes renders as pages and exports.
A handful also go through the real command line in a subprocess.

The commands that read what the tool wrote before get the same treatment: wrong-typed
report JSON into `audit diff`, `suggest` and `portfolio` (run records too), hostile ids
and file names into the MkDocs plugin: no traceback, no control character on the
terminal, and no write outside their roots (a snapshot of the surrounding folder).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from privacy_audit.history.runs import HISTORY_DIR
from privacy_pages.check import CheckOptions, CheckResult, check_document
from privacy_pages.model.schema import validate
from privacy_pages.model.yaml_source import load_text
from privacy_pages.render import Layout, render_pages
from privacy_pages.render.exports import controller_json, tcf_json
from privacy_pages.reporters import REPORTERS, ReportContext

from .fuzz import RUN_RECORD, Case, cases, name_cases, report_cases, snapshot

SEED = int(os.environ.get("PRIVACY_PAGES_FUZZ_SEED", "9"))
DEFAULT_CASES = 300
COVERAGE_CASES = 300
"""The coverage of outcomes is asserted on at least this many cases, whatever the count."""


def _count() -> int:
    raw = os.environ.get("PRIVACY_PAGES_FUZZ_CASES", str(DEFAULT_CASES))
    if not raw.isdigit() or int(raw) < 1:
        raise pytest.UsageError(f"PRIVACY_PAGES_FUZZ_CASES={raw!r}: give a whole number >= 1")
    return int(raw)


COUNT = _count()
CHUNKS = 10
CASES = cases(COUNT, SEED)
JSON_COUNT = max(20, COUNT // 10)
_RAW_CONTROL = set(map(chr, range(0x20))) - {"\n"} | {"\x7f", "\x85", "\u2028", "\u202e"}


def _check(case: Case) -> CheckResult:
    document = load_text(case.text, case.name)
    if document.data is not None:
        document.diagnostics.extend(validate(document))
    result = CheckResult([check_document(document, CheckOptions())], [])
    if document.ok:  # what build and export render: no YAML or schema error
        layout = Layout(prefix="", directory_urls=False)
        assert render_pages(document.data, layout, None)
        controller_json(document.data)
        tcf_json(document.data)
    return result


def _render_all(result: CheckResult) -> None:
    for name, reporter in REPORTERS.items():
        for color in (False, True) if name == "text" else (False,):
            out = reporter().render(ReportContext(result=result, color=color))
            if name == "junit":
                ET.fromstring(out.encode("utf-8"))
            elif name in ("json", "sarif"):
                json.loads(out)
            elif not color:
                assert not _RAW_CONTROL & set(out), f"{name}: raw control character"


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_controllers_never_crash_check(chunk: int) -> None:
    kinds: dict[int, int] = {}
    for number, case in enumerate(CASES[chunk::CHUNKS]):
        try:
            result = _check(case)
            if number % 5 == 0:
                _render_all(result)
        except Exception as error:  # noqa: BLE001 - the case name makes it replayable
            pytest.fail(f"seed {SEED}, case {case.name}: {type(error).__name__}: {error}")
        code = result.exit_code()
        kinds[code] = kinds.get(code, 0) + 1
        assert code in (0, 1, 2), case.name
        for d in result.diagnostics:
            assert d.path == case.name and d.line >= 1 and d.column >= 1, (case.name, d)
            assert d.message and d.rule, (case.name, d)
    assert sum(kinds.values()) == len(CASES[chunk::CHUNKS])


def test_the_fuzz_covers_every_outcome() -> None:
    """The mutations reach every way of failing to load: YAML syntax and structure, schema
    types and keys (on the cases run, or the first 300 when fewer run)."""
    assert len(CASES) == COUNT
    rules: set[str] = set()
    for case in CASES if COUNT >= COVERAGE_CASES else cases(COVERAGE_CASES, SEED):
        document = load_text(case.text, case.name)
        if document.data is not None:
            document.diagnostics.extend(validate(document))
        rules.update(d.rule for d in document.diagnostics)
    assert {"YAML001", "YAML002", "SCHEMA001", "SCHEMA002"} <= rules, sorted(rules)


def test_a_handful_through_the_real_command_line(tmp_path: Path) -> None:
    chosen = [c for c in CASES[:400] if "\ud800" not in c.text][:: max(1, min(COUNT, 400) // 5)]
    assert len(chosen) >= min(5, COUNT)
    for case in chosen:
        path = tmp_path / case.name
        path.write_text(case.text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "privacy_pages.cli", "check", str(tmp_path), "--format", "json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["files"] == len(chosen)
    assert all(d["line"] >= 1 and d["path"] for d in document["diagnostics"])
    for case in chosen:
        text = subprocess.run(
            [sys.executable, "-m", "privacy_pages.cli", "check", str(tmp_path / case.name)],
            check=False,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert text.returncode in (0, 1, 2) and "Traceback" not in text.stderr, case.name


# --- wrong-typed JSON into diff, suggest and portfolio -------------------------------------


def _no_crash(cli, case: str, *argv: str, codes: tuple[int, ...] = (0, 1, 2, 3)) -> int:
    try:
        result = cli(*argv)
    except Exception as error:  # noqa: BLE001 - the case name makes it replayable
        pytest.fail(f"seed {SEED}, case {case}: {argv[0]}: {type(error).__name__}: {error}")
    assert result.code in codes, (case, argv, str(result))
    assert not _RAW_CONTROL & set(result.out + result.err), (case, argv, str(result))
    if result.code == 2:
        assert result.err.count("\n") >= 1 and "Traceback" not in result.err, (case, str(result))
    return result.code


def test_wrong_typed_reports_never_crash_diff_or_suggest(cli, tmp_path: Path) -> None:
    from .fuzz import REPORT

    controller = tmp_path / "content" / "shop.yaml"
    controller.parent.mkdir()
    original = "id: shop\nlanguages: [en]\ncookies:\n  trackers:\n  - {name: sid}\n"
    refused = 0
    for case in report_cases(JSON_COUNT, SEED):
        folder = tmp_path / "cases" / case.name.split(".")[1]
        folder.mkdir(parents=True)
        (folder / "report.json").write_text(case.text, encoding="utf-8")
        controller.write_text(original, encoding="utf-8")
        before = snapshot(tmp_path)
        codes = {
            _no_crash(cli, case.name, "audit", "diff", str(REPORT), str(folder)),
            _no_crash(cli, case.name, "audit", "diff", str(folder / "report.json"), str(REPORT)),
            _no_crash(cli, case.name, "suggest", str(folder), str(controller)),
        }
        refused += codes == {2}
        assert snapshot(tmp_path) == before, case.name
        if _no_crash(cli, case.name, "suggest", str(folder), str(controller), "--write") == 0:
            written = controller.read_text(encoding="utf-8")
            assert written.startswith(original), case.name  # lines were only added
            assert cli("check", str(controller)).code in (0, 1), case.name
        shutil.rmtree(folder)  # each case's snapshot reads the case's files, not all before it
    assert refused >= JSON_COUNT // 2  # most mutations break the schema, and say so


def test_wrong_typed_run_records_never_crash_the_portfolio(cli, tmp_path: Path) -> None:
    from .fuzz import REPORT

    audits = tmp_path / "audits"
    for number, case in enumerate(report_cases(JSON_COUNT, SEED, RUN_RECORD)):
        run = audits / f"client{number}" / "20261101T000000Z"
        (run / "shop.test").mkdir(parents=True)
        (run / "run.json").write_text(case.text, encoding="utf-8")
        for folder in (run, run / "shop.test"):
            (folder / "report.json").write_bytes(REPORT.read_bytes())
            (folder / "report.html").write_text("<p>report</p>", encoding="utf-8")
    (audits / "client0" / "20261201T000000Z").symlink_to(tmp_path)  # never followed
    out = tmp_path / "portfolio"
    before = snapshot(tmp_path, skip=(out,))
    for _ in range(2):  # the second run replaces the first portfolio: its own folder
        _no_crash(cli, "portfolio", "portfolio", str(audits), "--out", str(out))
    assert snapshot(tmp_path, skip=(out,)) == before
    copied = [p for p in out.rglob("*") if p.is_file()]
    assert all(out in p.resolve().parents for p in copied)


# --- hostile ids and file names into the MkDocs plugin --------------------------------------


def test_hostile_ids_never_leave_the_site(tmp_path: Path) -> None:
    from privacy_pages.site.build import ContentBuildError, build_site

    atelier = (Path(__file__).resolve().parents[1] / "data" / "render" / "atelier.yaml").read_text(
        encoding="utf-8"
    )
    project = tmp_path / "a" / "b" / "project"
    content = project / "content"
    content.mkdir(parents=True)
    for number, name in enumerate(name_cases(max(24, JSON_COUNT // 4), SEED)):
        text = atelier.replace("id: atelier-demo", f"id: {json.dumps(name)}", 1)
        text += f"suppressions:\n  - {{rule: SCHEMA001, reason: {json.dumps(name)}}}\n"
        stem = "".join(c for c in name if c.isalnum() or c in "._-")[:60] or "x"
        (content / f"{number}-{stem}.yaml").write_text(text, encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Fuzz\ntheme: {name: material, font: false}\nplugins:\n"
        "  - privacy-pages: {content_dir: content, draft: true}\n"
        "markdown_extensions: [toc, attr_list, admonition]\n",
        encoding="utf-8",
    )
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Fuzz\n", encoding="utf-8")
    site = project / "site"
    before = snapshot(tmp_path, skip=(site,))
    try:
        build_site(project / "mkdocs.yml", site, draft=True)
    except ContentBuildError:
        pass
    assert snapshot(tmp_path, skip=(site,)) == before
    clients = site / "clients"
    published = {p.name for p in clients.iterdir()} if clients.is_dir() else set()
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*|index\.html", n) for n in published), published


def test_hostile_ids_never_leave_the_audits_folder(cli, tmp_path: Path) -> None:
    """`audit --all` over hostile ids and file names: a named failure each, inside the root.

    ``--browser /bin/false``: a file that passes the schema fails at the browser's start,
    so no Chromium runs; what is fuzzed is the way from an id to a folder."""
    project = tmp_path / "a" / "b" / "project"
    content = project / "content"
    content.mkdir(parents=True)
    names = name_cases(max(16, JSON_COUNT // 8), SEED)
    for number, name in enumerate(names):
        stem = "".join(c for c in name if c.isalnum() or c in "._-")[:60] or "x"
        (content / f"{number}-{stem}.yaml").write_text(
            f"id: {json.dumps(name)}\nlanguages: [en]\nwebsite: http://127.0.0.1:9/\n",
            encoding="utf-8",
        )
    audits = project / "audits"
    before = snapshot(tmp_path, skip=(audits,))
    code = _no_crash(
        cli, "audit --all", "audit", "--all", str(content), "--out", str(audits), "--keep", "1",
        "--browser", "/bin/false", "--quiet", codes=(4,),
    )  # fmt: skip
    assert code == 4  # every file is broken: clients not audited, named in the portfolio
    assert snapshot(tmp_path, skip=(audits,)) == before
    folders = sorted(p.name for p in audits.iterdir() if p.is_dir() and p.name != HISTORY_DIR)
    assert len(folders) == len(names), folders  # one failed run per file, under its name

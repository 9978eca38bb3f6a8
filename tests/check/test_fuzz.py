"""Fuzz: seeded mutations of the bundled controllers through `check`, in process.

``PRIVACY_PAGES_FUZZ_CASES`` sets how many (default 300, a few seconds; `.ci/run` runs
2,000) and ``PRIVACY_PAGES_FUZZ_SEED`` which (default 9): a failure names its case, which
the same seed replays.

Asserted for each: the run ends with 0, 1 or 2, never an exception, and every diagnostic
names the file and a line and column. Every format renders (JUnit as well-formed XML,
text without a raw control character); a file that passes renders as pages and exports.
A handful also go through the real command line in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from privacy_pages.check import CheckOptions, CheckResult, check_document
from privacy_pages.model.schema import validate
from privacy_pages.model.yaml_source import load_text
from privacy_pages.render import Layout, render_pages
from privacy_pages.render.exports import controller_json, tcf_json
from privacy_pages.reporters import REPORTERS, ReportContext

from .fuzz import Case, cases

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
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert text.returncode in (0, 1, 2) and "Traceback" not in text.stderr, case.name

"""Fixtures for `check`: rule cases as data, generated hostile files (the CLI runner is in
tests/conftest.py)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "check"
GOLDEN_DAY = "2026-12-06"
"""The day whose law the golden files record (`check --as-of`): they do not move with the
calendar; the rule cases test each dated rule on both sides of its dates."""
RULE_CASES = DATA / "rules"


def rule_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(RULE_CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            cases.append((spec["rule"], case))
    return cases


def case_day(case: dict) -> datetime.date | None:
    """The day a rule case is checked on (``as_of``), else today."""
    value = case.get("as_of")
    return value if isinstance(value, datetime.date) else None


def generated_file(kind: str, directory: Path) -> Path:
    """Hostile or unusual files that cannot be written as YAML text in a case file."""
    path = directory / f"{kind}.yaml"
    if kind == "alias_bomb":
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, 9):
            prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
            lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "large_file":
        with open(path, "wb") as handle:
            handle.write(b"id: big\nlanguages: [en]\nextra_sections:\n")
            chunk = b"  - {id: s, title: t, body: " + b"x" * 1000 + b"}\n"
            handle.write(chunk * (50 * 1024))
    elif kind == "latin1":
        path.write_bytes(
            "id: shop\nlanguages: [en]\ncontroller: {name: Officine Générale}\n".encode("latin-1")
        )
    elif kind == "utf8_bom":
        path.write_bytes(b"\xef\xbb\xbfid: shop\nlanguages: [en]\n")
    else:
        raise ValueError(kind)
    return path


CORPUS_TABLE = pytest.StashKey[str]()
"""The corpus test's table of precision and recall, printed at the end of the run."""
CORPUS_PROPERTY = "corpus-table"
_TABLES: list[str] = []
"""The tables received by the process that prints the summary: a parallel worker sends its
table with the report of the test that made it, as a user property."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    text = item.config.stash.get(CORPUS_TABLE, None)
    if text:
        del item.config.stash[CORPUS_TABLE]
        report.user_properties.append((CORPUS_PROPERTY, text))
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _TABLES.extend(value for name, value in report.user_properties if name == CORPUS_PROPERTY)


def pytest_terminal_summary(terminalreporter, config) -> None:  # type: ignore[no-untyped-def]
    """Precision and recall of every rule on the corpus, when its test ran."""
    for text in _TABLES:
        terminalreporter.write_sep("-", "check on the corpus of real documents")
        terminalreporter.write(text)

"""Options and exit codes of `privacy-pages check` and `privacy-pages rules`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import DATA

FORMATS_DIR = DATA / "formats"
COMPLETE = str(FORMATS_DIR / "complete.yaml")
PROBLEMS = str(FORMATS_DIR / "problems.yaml")


def test_clean_file_exits_0(cli) -> None:
    result = cli("check", COMPLETE)
    assert result.code == 0, result
    assert "1 file checked: 0 errors, 0 warnings, 0 info" in result.out


def test_errors_exit_1(cli) -> None:
    assert cli("check", PROBLEMS).code == 1


def test_strict_makes_warnings_fail(cli, tmp_path: Path) -> None:
    path = tmp_path / "warn.yaml"
    text = Path(COMPLETE).read_text(encoding="utf-8").replace("  effective_date: 2025-03-01\n", "")
    path.write_text(text, encoding="utf-8")
    assert cli("check", str(path)).code == 0
    result = cli("check", str(path), "--strict")
    assert result.code == 1 and "PN023" in result.out, result


def test_select_and_ignore(cli) -> None:
    only = json.loads(cli("check", PROBLEMS, "--select", "LN", "--format", "json").out)
    assert {d["rule"][:2] for d in only["diagnostics"]} == {"LN"}
    rest = json.loads(cli("check", PROBLEMS, "--ignore", "LN,pn", "--format", "json").out)
    assert not {d["rule"][:2] for d in rest["diagnostics"]} & {"LN", "PN"}
    by_name = json.loads(
        cli("check", PROBLEMS, "--select", "legal-basis-missing", "--format", "json").out
    )
    assert [d["rule"] for d in by_name["diagnostics"]] == ["PN004"]


def test_severity_override(cli) -> None:
    result = json.loads(
        cli(
            "check",
            PROBLEMS,
            "--select",
            "PN004",
            "--severity",
            "PN004=warning",
            "--format",
            "json",
        ).out
    )
    assert [d["severity"] for d in result["diagnostics"]] == ["warning"]
    assert result["summary"]["exit_code"] == 0


def test_bad_options_exit_2_with_one_line(cli) -> None:
    for args in (
        ["--select", "PN999"],
        ["--severity", "PN004=fatal"],
        ["--severity", "PN004"],
        ["--format", "xml"],
        ["--max-file-size", "0"],
    ):
        result = cli("check", PROBLEMS, *args)
        assert result.code == 2, (args, result)
        assert len(result.err.strip().splitlines()) == 1, result
        assert "Traceback" not in result.err


def test_missing_path_exits_2_but_checks_the_rest(cli) -> None:
    result = cli("check", PROBLEMS, "no/such/file.yaml")
    assert result.code == 2
    assert "no/such/file.yaml: no such file or folder" in result.out
    assert "PN004" in result.out


def test_empty_folder_exits_2(cli, tmp_path: Path) -> None:
    result = cli("check", str(tmp_path))
    assert result.code == 2 and "no controller files" in result.out


def test_output_file_written_atomically(cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.sarif"
    assert cli("check", PROBLEMS, "--format", "sarif", "-o", str(target)).code == 1
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["report.sarif"]


def test_suppressions_counted(cli) -> None:
    result = cli("check", PROBLEMS)
    assert "1 suppressed with a reason" in result.out
    assert "PN023" not in result.out


def test_rules_reference(cli) -> None:
    result = cli("rules", "--format", "json")
    rules = json.loads(result.out)
    assert len(rules) >= 50
    for rule in rules:
        assert (
            rule["what_it_checks"]
            and rule["why_it_matters"]
            and rule["fails"]
            and rule["use_instead"]
        )
    assert cli("rules", "CK001").out.startswith("CK001  declared-lifetime-over-13-months")
    assert cli("rules", "nope").code == 2


def test_rule_reference_page_is_current(cli) -> None:
    """docs/reference/rules.md is generated; regenerate it with the command in its header."""
    page = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == cli("rules", "--format", "markdown").out


def test_console_script_runs() -> None:
    """The installed entry point, as a user types it."""
    exe = Path(sys.executable).with_name("privacy-pages")
    result = subprocess.run(
        [str(exe), "check", COMPLETE],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_audit_rule_reference_page_is_current(cli) -> None:
    """docs/audit-rules.md, from the same generator as docs/rules.md."""
    page = Path(__file__).resolve().parents[2] / "docs" / "audit-rules.md"
    expected = cli("rules", "--format", "markdown", "--scope", "audit").out
    assert page.read_text(encoding="utf-8") == expected

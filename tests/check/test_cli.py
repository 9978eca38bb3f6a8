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
        ["--as-of", "11/08/2026"],
        ["--as-of", "2026-02-30"],
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


BLOCTEL_ONLY = """\
id: shop
languages: [fr]
controller: {name: Boutique SAS, address: {country: FR}}
processing:
  - {id: orders, title: Commandes, data_categories: [Téléphone]}
national: {bloctel: Vous pouvez vous inscrire sur www.bloctel.gouv.fr.}
"""


def test_check_as_of_either_side_of_the_telephone_regime(cli, tmp_path: Path) -> None:
    """The same file, checked as of the last Bloctel day and the first consent day."""
    path = tmp_path / "shop.yaml"
    path.write_text(BLOCTEL_ONLY, encoding="utf-8")
    before = cli("check", str(path), "--select", "PN030", "--as-of", "2026-08-10")
    assert before.code == 0 and "PN030" not in before.out, before
    after = cli("check", str(path), "--select", "PN030", "--as-of", "2026-08-11")
    assert after.code == 1, after
    assert "PN030 error the Bloctel opposition list is outdated since 11 August 2026" in after.out
    today = cli("check", str(path), "--select", "PN030")  # the default is today, after it
    assert today.code == 1 and "outdated since 11 August 2026" in today.out


def test_rules_show_their_dated_sources(cli) -> None:
    text = cli("rules", "PN030").out
    assert "Sources: C. consom. L.223-2 (binding law, in force until 2026-08-10; reviewed " in text
    assert "C. consom. L.223-2 (binding law, in force from 2026-08-11; reviewed " in text
    assert "Level: error, binding law:" in text
    assert cli("rules", "bloctel-missing").out == text  # the former name still works
    rule = json.loads(cli("rules", "CK001", "--format", "json").out)[0]
    assert rule["severity"] == "warning"
    assert [s["key"] for s in rule["sources"]] == ["cnil-2020-092"]
    assert rule["sources"][0]["kind"] == "guidance" and rule["sources"][0]["reviewed"]


def test_rules_sources_lists_the_registry(cli) -> None:
    result = cli("rules", "--sources")
    assert result.code == 0
    assert "consom-l223-2-consent  C. consom. L.223-2  [binding law]" in result.out
    assert "in force from 2026-08-11; reviewed 2026-12-06;" in result.out
    assert "cited by: PN030" in result.out
    sources = json.loads(cli("rules", "--sources", "--format", "json").out)
    bloctel = next(s for s in sources if s["key"] == "consom-l223-2-bloctel")
    assert bloctel["in_force_until"] == "2026-08-10" and bloctel["kind"] == "binding"
    assert "PN030" in bloctel["cited_by"]
    refused = cli("rules", "PN030", "--sources")
    assert refused.code == 2 and len(refused.err.strip().splitlines()) == 1


def test_export_pages_state_the_law_of_the_day(cli, tmp_path: Path) -> None:
    """The date reaches the publish gate and the pages: before 11 August 2026 the Bloctel
    mention is the law and publishes under our heading; from then it blocks the export, and
    a draft shows it under a heading that no longer names Bloctel."""
    path = tmp_path / "shop.yaml"
    path.write_text(BLOCTEL_ONLY, encoding="utf-8")
    out = tmp_path / "out"
    args = ("export", str(path), "--format", "markdown", "--out", str(out), "--draft")
    assert cli(*args, "--as-of", "2026-08-10").code == 0
    page = (out / "shop" / "fr" / "privacy.md").read_text(encoding="utf-8")
    assert "<strong>Démarchage téléphonique (Bloctel)</strong>" in page
    refused = cli("export", str(path), "--out", str(out), "--as-of", "2026-08-11")
    assert refused.code == 1 and "PN030" in refused.err
    assert cli(*args, "--as-of", "2026-08-11").code == 0
    page = (out / "shop" / "fr" / "privacy.md").read_text(encoding="utf-8")
    assert "(Bloctel)</strong>" not in page and "<strong>Démarchage téléphonique</strong>" in page


def test_rule_reference_page_is_current(cli) -> None:
    """docs/reference/rules.md is generated; regenerate it with the command in its header."""
    page = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == cli("rules", "--format", "markdown").out


def test_console_script_runs() -> None:
    """The installed entry point, as a user types it."""
    exe = Path(sys.executable).with_name("privacy-pages")
    result = subprocess.run(
        [str(exe), "check", COMPLETE],
        check=False,
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

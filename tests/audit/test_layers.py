"""Arrows point from the audit to the core: `check` never loads the crawler package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_never_imports_privacy_audit(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "import privacy_pages.cli, privacy_pages.cli.check, privacy_pages.check\n"
        "import privacy_pages.rules, privacy_pages.rules.known_trackers as k\n"
        "assert k.known_tracker('_ga').vendor == 'Google Analytics'\n"
        "code = privacy_pages.cli.main(['check', sys.argv[1], '--format', 'json',"
        " '--output', sys.argv[2]])\n"
        "assert code in (0, 1), code\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'privacy_audit')\n"
        "assert not loaded, loaded\n"
    )
    sample = ROOT / "tests" / "data" / "check" / "formats" / "complete.yaml"
    result = subprocess.run(
        [sys.executable, "-c", script, str(sample), str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_command_knows_audit_rules(capsys) -> None:  # type: ignore[no-untyped-def]
    from privacy_pages.cli import main

    assert main(["rules", "PC01", "declared-not-observed"]) == 0
    out = capsys.readouterr().out
    assert "PC01  pre-consent-cookie" in out and "DC02  declared-not-observed" in out

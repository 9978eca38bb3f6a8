"""The shipped workflow keeps the audit history across a monthly schedule: a simulated month.

The workflow's own step scripts run as a runner would (bash -e, GITHUB_OUTPUT), against a
loopback shop: month 1 audits and "uploads" the shard's folder as the run's artifact; a
month later (a cache would be evicted after 7 days) the next run finds that artifact by
the run id that uploaded it (a stub `gh` answers the artifacts API with what GitHub lists),
"downloads" it, and its audit compares with month 1. A retried attempt of the same run
audits no client a second time. Only the artifact storage and `gh` are stand-ins.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_audit.history.runs import ControllerRuns, read_run_record

from ..conftest import invoke as cli
from .portfolio_sites import RESOLVE, PortfolioSites
from .test_ci_examples import WORKFLOW, _steps

RUN_ONE, RUN_TWO = 9001, 9312


def _step(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    return next(s for s in _steps(workflow, "audit") if s.get("id") == name)


def _executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _runner(workspace: Path, bin_dir: Path, run_id: int, script: str) -> dict[str, str]:
    """Run one step's script in ``workspace``; the outputs it wrote."""
    output = workspace / ".github_output"
    output.write_text("", encoding="utf-8")
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_RUN_ID": str(run_id),
        "GITHUB_REPOSITORY": "agency/privacy",
        "RUNNER_TEMP": str(workspace),
        "SHARDS": "1",
        "NAME": "audits-shard-1",
        "HOME": str(workspace),
    }
    result = subprocess.run(
        ["bash", "-e", "-c", script.replace("${{ matrix.shard }}", "1")],
        cwd=workspace, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    pairs = (line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return dict(pairs)


@pytest.fixture
def sites() -> Any:
    with PortfolioSites(1) as running:
        yield running


@pytest.mark.browser
def test_history_survives_a_simulated_month(sites: PortfolioSites, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # privacy-pages as installed, told where the loopback shop is (the runner reaches the
    # client's real site; this one is on 127.0.0.1).
    _executable(bin_dir / "privacy-pages", (
        f'#!/bin/sh\nexec "{sys.executable}" -m privacy_pages.cli "$@" --quiet --pages 1 '
        f"--timeout 10 --consent-wait 0 --settle 0.3 --resolve '{RESOLVE}'\n"
    ))  # fmt: skip
    artifacts = tmp_path / "artifacts.json"
    _executable(bin_dir / "gh", f'#!/bin/sh\ncat "{artifacts}"\n')
    store = tmp_path / "artifact-store"  # what upload-artifact keeps, by run id

    def workspace(name: str) -> Path:
        folder = tmp_path / name
        (folder / "content").mkdir(parents=True)
        (folder / "content" / "shop.yaml").write_text(
            f"id: shop\nlanguages: [fr]\nwebsite: {sites.url('client01')}\n"
            "controller: {name: Boutique de test SAS}\n",
            encoding="utf-8",
        )
        return folder

    # Month 1: nothing to restore; audit; upload the shard's folder.
    month_one = workspace("month-1")
    artifacts.write_text(json.dumps({"artifacts": []}), encoding="utf-8")
    assert _runner(month_one, bin_dir, RUN_ONE, _step("previous")["run"])["run_id"] == ""
    outputs = _runner(month_one, bin_dir, RUN_ONE, _step("audit")["run"])
    assert outputs["exit_code"] in ("0", "1")
    shutil.copytree(month_one / "audits", store / str(RUN_ONE))

    # Month 2, a fresh runner: the artifacts API lists month 1's upload (31 days old, kept
    # 90 days), an expired older one and this run's own; the newest earlier one is chosen.
    now = datetime(2026, 12, 1, 4, 17, tzinfo=timezone.utc)
    listed = [
        (RUN_ONE, now - timedelta(days=31), False),
        (8000, now - timedelta(days=120), True),
        (RUN_TWO, now, False),
    ]
    artifacts.write_text(json.dumps({"artifacts": [
        {"name": "audits-shard-1", "expired": expired, "created_at": when.isoformat(),
         "workflow_run": {"id": run}} for run, when, expired in listed
    ]}), encoding="utf-8")  # fmt: skip
    month_two = workspace("month-2")
    found = _runner(month_two, bin_dir, RUN_TWO, _step("previous")["run"])["run_id"]
    assert found == str(RUN_ONE)
    shutil.copytree(store / found, month_two / "audits")  # download-artifact with run-id
    _runner(month_two, bin_dir, RUN_TWO, _step("audit")["run"])
    runs = ControllerRuns(month_two / "audits", "shop").runs()
    assert len(runs) == 2
    record = read_run_record(runs[-1]) or {}
    assert record["previous_run"] == runs[0].name  # "since the last audit" has a last audit
    assert record["since_last_audit"] is not None
    assert record["run_id"] == str(RUN_TWO) and record["name"] == "Boutique de test SAS"

    # A re-run attempt of month 2's job: the client is not audited a second time.
    _runner(month_two, bin_dir, RUN_TWO, _step("audit")["run"])
    assert ControllerRuns(month_two / "audits", "shop").runs() == runs

    # The portfolio shows both months in the trend, and the merged history has two lines.
    out = tmp_path / "portfolio"
    cli("portfolio", str(month_two / "audits"), "--out", str(out), codes=(0, 1))
    client = json.loads((out / "portfolio.json").read_text())["clients"][0]
    assert [point["run"] for point in client["trend"]] == [r.name for r in runs]
    assert client["name"] == "Boutique de test SAS"
    assert len((out / "history.jsonl").read_text().splitlines()) == 2

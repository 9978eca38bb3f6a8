"""The consent managers of the test sites: pinned exactly, cached under the project, and one
clear line when npm is missing."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from . import npm_fixtures

EXACT = re.compile(r"^\d+\.\d+\.\d+$")


def test_versions_are_pinned_exactly_and_locked() -> None:
    pins = npm_fixtures.pinned_versions()
    assert pins and all(EXACT.match(version) for version in pins.values()), pins
    lock = json.loads((npm_fixtures.MANIFEST_DIR / "package-lock.json").read_text("utf-8"))
    assert lock["packages"][""]["dependencies"] == pins
    for name, version in pins.items():
        entry = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-")


def test_the_cache_is_inside_the_project_and_ignored_by_git() -> None:
    cache = npm_fixtures.NPM_CACHE
    if cache != npm_fixtures.REPO_ROOT / ".cache" / "npm-fixtures":
        pytest.skip("PRIVACY_PAGES_NPM_CACHE points elsewhere")
    result = subprocess.run(
        ["git", "check-ignore", "-q", str(cache / "node_modules" / "x" / "package.json")],
        cwd=npm_fixtures.REPO_ROOT,
        capture_output=True,
    )
    if result.returncode == 128:
        pytest.skip("not a git checkout")
    assert result.returncode == 0, "the npm cache must be ignored by git"


@pytest.fixture
def no_npm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(npm_fixtures.shutil, "which", lambda name: None)


def test_without_npm_the_failure_is_one_line(tmp_path: Path, no_npm: None) -> None:
    with pytest.raises(npm_fixtures.NpmFixtureError) as info:
        npm_fixtures.install_consent_managers(tmp_path / "cache")
    message = str(info.value)
    assert message.startswith("npm not found: ") and "\n" not in message
    assert "tarteaucitronjs@" in message and "apt-get install npm" in message


def test_a_complete_cache_needs_no_npm(tmp_path: Path, no_npm: None) -> None:
    for name, version in npm_fixtures.pinned_versions().items():
        package = tmp_path / "node_modules" / name
        package.mkdir(parents=True)
        (package / "package.json").write_text(json.dumps({"version": version}), "utf-8")
    assert npm_fixtures.install_consent_managers(tmp_path) == tmp_path / "node_modules"


def test_a_cache_with_another_version_is_reinstalled(tmp_path: Path, no_npm: None) -> None:
    package = tmp_path / "node_modules" / "tarteaucitronjs"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"version": "0.0.1"}', "utf-8")
    with pytest.raises(npm_fixtures.NpmFixtureError, match="^npm not found"):
        npm_fixtures.install_consent_managers(tmp_path)

"""The test infrastructure itself: the npm packages (pinned exactly, cached under the project,
one clear line when npm is missing), the loopback server, the network guard, the CLI runner's
report of a failed test, golden files and the slowdown factor."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from . import npm_fixtures
from .conftest import REPO, Refusals, assert_golden, patience, slowdown
from .loopback import LoopbackServer, Recorder, serve_folder
from .netguard import guard

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
        check=False,
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
        npm_fixtures.install_npm_fixtures(tmp_path / "cache")
    message = str(info.value)
    assert message.startswith("npm not found: ") and "\n" not in message
    assert "tarteaucitronjs@" in message and "apt-get install npm" in message


def test_a_complete_cache_needs_no_npm(tmp_path: Path, no_npm: None) -> None:
    for name, version in npm_fixtures.pinned_versions().items():
        package = tmp_path / "node_modules" / name
        package.mkdir(parents=True)
        (package / "package.json").write_text(json.dumps({"version": version}), "utf-8")
    assert npm_fixtures.install_npm_fixtures(tmp_path) == tmp_path / "node_modules"


def test_a_cache_with_another_version_is_reinstalled(tmp_path: Path, no_npm: None) -> None:
    package = tmp_path / "node_modules" / "tarteaucitronjs"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"version": "0.0.1"}', "utf-8")
    with pytest.raises(npm_fixtures.NpmFixtureError, match="^npm not found"):
        npm_fixtures.install_npm_fixtures(tmp_path)


# --- the loopback server --------------------------------------------------------------------


def test_a_folder_is_served_on_loopback_only(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").write_text("<h1>docs</h1>", "utf-8")
    (tmp_path / "data.csv").write_text("a,b\n", "utf-8")
    with LoopbackServer(serve_folder(tmp_path)) as server:
        assert server.url().startswith("http://127.0.0.1:")
        assert _get(server.url("/data.csv")) == (200, b"a,b\n")
        assert _get(server.url("/docs/")) == (200, b"<h1>docs</h1>")
        assert _get(server.url("/docs"))[0] == 200  # redirected to docs/, as a web server does
        assert _get(server.url("/missing"))[0] == 404
        assert _get(server.url("/../../etc/passwd"))[0] == 404
        assert [r.path for r in server.requests][:2] == ["/data.csv", "/docs/"]


def test_the_loopback_fixture_serves_a_folder_for_the_test(
    loopback: Callable[[Path], str], tmp_path: Path
) -> None:
    (tmp_path / "ocd.csv").write_text("x\n", "utf-8")
    url = loopback(tmp_path)
    assert url.startswith("http://127.0.0.1:") and _get(url + "ocd.csv") == (200, b"x\n")


def test_a_recorder_keeps_every_post() -> None:
    recorder = Recorder()
    with LoopbackServer(recorder) as server:
        request = urllib.request.Request(
            server.url("/hooks"), data=b'{"a": 1}', headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=patience(10)) as response:
            assert response.status == 204
    assert [(r.method, r.path, json.loads(r.body)) for r in recorder.received] == [
        ("POST", "/hooks", {"a": 1})
    ]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=patience(10)) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


# --- the network guard ----------------------------------------------------------------------


def test_a_connection_outside_loopback_is_refused_with_one_clear_line(
    network_refusals: Refusals,
) -> None:
    with pytest.raises(guard.NetworkRefused, match="outside loopback refused") as info:
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1
    assert "\n" not in str(info.value) and "192.0.2.1" in str(info.value)
    with pytest.raises(guard.NetworkRefused, match="name lookup of 'example.com'"):
        socket.getaddrinfo("example.com", 443)
    assert len(network_refusals.lines()) == 2


def test_loopback_stays_open() -> None:
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.53", None):
        assert guard.is_loopback(host), host
    for host in ("192.0.2.1", "example.com", "shop.test", "10.0.0.1"):
        assert not guard.is_loopback(host), host


def test_child_processes_are_guarded_and_a_caught_refusal_is_logged(
    network_refusals: Refusals,
) -> None:
    code = (
        "import urllib.request\n"
        "try:\n"
        "    urllib.request.urlopen('http://192.0.2.1/', timeout=1)\n"
        "except OSError as error:\n"
        "    print('caught', error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0 and "outside loopback refused" in result.stdout, result
    (line,) = network_refusals.lines()
    assert "192.0.2.1" in line and f"[pid {os.getpid()}]" not in line


_INNER_CONFTEST = f"""
import sys
sys.path.insert(0, {str(REPO)!r})
pytest_plugins = ["tests.conftest"]
"""


def test_a_failed_test_names_what_it_reached_and_shows_its_command_line_runs(
    pytester: pytest.Pytester,
) -> None:
    """In one inner pytest run (each costs a Python start): a test that reaches out fails
    even when it catches the error; a failing test prints each of its privacy-pages runs."""
    pytester.makeconftest(_INNER_CONFTEST)
    pytester.makepyfile(
        test_inner=(
            "import socket\n"
            "def test_reaches_out():\n"
            "    try:\n"
            "        socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
            "    except OSError:\n"
            "        pass\n"
            "def test_fails(cli):\n"
            "    assert cli('rules', 'NOPE999').code == 0\n"
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*network access outside loopback refused*192.0.2.1*"])
    result.stdout.fnmatch_lines(
        ["*privacy-pages run 1*", "$ privacy-pages rules NOPE999", "exit 2", "*unknown rule*"]
    )


# --- golden files, the slowdown factor ------------------------------------------------------


def test_golden_files_are_compared_and_rewritten_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    golden = tmp_path / "out.txt"
    with pytest.raises(AssertionError, match="was missing and has been written"):
        assert_golden("one\n", golden)
    assert_golden("one\n", golden)
    with pytest.raises(AssertionError, match="UPDATE_GOLDEN=1 to accept"):
        assert_golden("two\n", golden)
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    assert_golden("two\n", golden)
    assert golden.read_text("utf-8") == "two\n"


@pytest.mark.parametrize(
    ("value", "workers", "factor"),
    [(None, "1", 1.0), ("1", "1", 1.0), ("2.5", "1", 2.5), (None, "2", 2.0), ("1", "2", 1.0)],
)
def test_the_slowdown_multiplies_outcome_deadlines(
    monkeypatch: pytest.MonkeyPatch, value: str | None, workers: str, factor: float
) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", workers)
    if value is None:
        monkeypatch.delenv("PRIVACY_PAGES_TEST_SLOWDOWN", raising=False)
    else:
        monkeypatch.setenv("PRIVACY_PAGES_TEST_SLOWDOWN", value)
    assert slowdown() == factor and patience(4) == 4 * factor


@pytest.mark.parametrize("value", ["0.5", "fast", "nan"])
def test_a_bad_slowdown_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PRIVACY_PAGES_TEST_SLOWDOWN", value)
    with pytest.raises(pytest.UsageError, match="give a number >= 1"):
        slowdown()

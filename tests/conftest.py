"""What every test folder shares: the CLI runner, golden files, the network guard, the slowdown
factor of outcome waits, and the fixtures of the loopback server and the npm packages.

- `cli` runs ``privacy-pages ...`` in process; `cli.spawn` in a child process. Every run of
  a test is shown (command, exit code, output) when the test fails.
- `assert_golden` compares with a golden file; ``UPDATE_GOLDEN=1`` rewrites it.
- No test reaches the network but loopback (`tests/netguard/guard.py`), in this process and
  in every Python process it starts; a test that tries fails with one line saying so, even
  when the code under test caught the error.
- ``PRIVACY_PAGES_TEST_SLOWDOWN`` (default 1, 2 in parallel workers) multiplies the
  deadlines tests wait for an outcome (`patience`), for loaded machines: never a longer
  fixed wait.
- Parallel workers (pytest-xdist, started by `scripts/test`) take a module at a time, or the
  tests of a few modules one by one (`tests/parallel.py`).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .loopback import LoopbackServer, serve_folder
from .netguard import guard

pytest_plugins = ("pytester",)

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
_GUARD_DIR = TESTS / "netguard"


# --- the network guard ----------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    handle, log = tempfile.mkstemp(prefix="privacy-pages-netguard.", suffix=".log")
    os.close(handle)
    os.environ[guard.LOG_VARIABLE] = log
    paths = [str(_GUARD_DIR), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    guard.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    with contextlib.suppress(KeyError, OSError):
        os.unlink(os.environ.pop(guard.LOG_VARIABLE))


def _refusals() -> list[str]:
    log = os.environ.get(guard.LOG_VARIABLE)
    if not log or not os.path.exists(log):
        return []
    with open(log, encoding="utf-8") as handle:
        return handle.read().splitlines()


def _guarded(item: pytest.Item) -> Iterator[None]:
    """Fail the phase of a test that tried to leave loopback, even if the code under test
    caught the error (a download that "failed", a webhook that "could not be sent")."""
    before = len(_refusals())
    result = yield
    tried = list(dict.fromkeys(_refusals()[before:]))
    if tried and "network_refusals" not in item.fixturenames:
        pytest.fail("\n".join(tried), pytrace=False)
    return result


def installer_env() -> dict[str, str]:
    """The environment of a named package install a test runs (``pip wheel`` fetching the
    build backend pyproject.toml declares): the one place the guard stays out."""
    env = dict(os.environ)
    paths = env.get("PYTHONPATH", "").split(os.pathsep)
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p and p != str(_GUARD_DIR))
    env.pop(guard.LOG_VARIABLE, None)
    return env


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    _RUNS.clear()
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    return (yield from _guarded(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    return (yield from _guarded(item))


class Refusals:
    """The network refusals logged since a test started."""

    def __init__(self) -> None:
        self.start = len(_refusals())

    def lines(self) -> list[str]:
        return _refusals()[self.start :]


@pytest.fixture
def network_refusals() -> Iterator[Refusals]:
    """For the tests of the guard itself: what it refused, cleared at the end (a test using
    this fixture is not failed for what the guard refused)."""
    refusals = Refusals()
    yield refusals
    kept = _refusals()[: refusals.start]
    with open(os.environ[guard.LOG_VARIABLE], "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in kept))


# --- parallel workers -----------------------------------------------------------------------


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """The workers take a module at a time (its module fixtures made once), but the tests of
    `parallel.SPREAD` one by one."""
    from .parallel import ModuleScheduling

    return ModuleScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest units first, so that no worker is left alone with one at the end."""
    from .parallel import running_order

    items.sort(key=running_order)


# --- waiting for outcomes on a loaded machine ----------------------------------------------


PARALLEL_SLOWDOWN = 2.0
"""The default slowdown when the suite runs in parallel workers: each worker's Chromium and
servers compete with the others' for the CPUs, so every outcome may take twice as long."""


def slowdown() -> float:
    """``PRIVACY_PAGES_TEST_SLOWDOWN``: how much slower than a quiet machine this one is
    (default 1, or `PARALLEL_SLOWDOWN` in parallel workers)."""
    workers = os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")
    default = PARALLEL_SLOWDOWN if workers.isdigit() and int(workers) > 1 else 1
    raw = os.environ.get("PRIVACY_PAGES_TEST_SLOWDOWN", str(default))
    try:
        factor = float(raw)
    except ValueError:
        raise pytest.UsageError(f"PRIVACY_PAGES_TEST_SLOWDOWN={raw!r}: give a number >= 1")
    if not factor >= 1:
        raise pytest.UsageError(f"PRIVACY_PAGES_TEST_SLOWDOWN={raw!r}: give a number >= 1")
    return factor


def patience(seconds: float) -> float:
    """A deadline for an outcome the test waits for, scaled to the machine's load."""
    return seconds * slowdown()


@pytest.fixture(scope="session", autouse=True)
def _browser_expectations() -> None:
    """Playwright's `expect` waits for an outcome: its deadline follows the slowdown too."""
    from playwright.sync_api import expect

    expect.set_options(timeout=patience(5) * 1000)


# --- golden files ---------------------------------------------------------------------------


def assert_golden(actual: str, path: Path) -> None:
    """``actual`` equals the golden file ``path``; ``UPDATE_GOLDEN=1`` rewrites the file."""
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            raise AssertionError(f"golden file {path} was missing and has been written; rerun")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path} (UPDATE_GOLDEN=1 to accept)"


# --- the command line -----------------------------------------------------------------------


@dataclass
class CliResult:
    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        command = " ".join(("privacy-pages", *self.args))
        return f"$ {command}\nexit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


_RUNS: list[CliResult] = []
"""The command-line runs of the current test (and of the fixtures it set up)."""


def invoke(*args: str, cwd: Path | None = None, codes: Sequence[int] | None = None) -> CliResult:
    """Run ``privacy-pages ARGS`` in this process; ``codes``: the exit codes allowed."""
    from privacy_pages.cli import main

    out, err = io.StringIO(), io.StringIO()
    folder = os.getcwd()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            if cwd is not None:
                os.chdir(cwd)
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        finally:
            os.chdir(folder)
    result = CliResult(tuple(args), code, out.getvalue(), err.getvalue())
    _RUNS.append(result)
    if codes is not None:
        assert result.code in codes, str(result)
    return result


def spawn(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    codes: Sequence[int] | None = None,
    timeout: float = 900,
) -> CliResult:
    """Run ``privacy-pages ARGS`` in a child process; ``codes``: the exit codes allowed."""
    process = subprocess.run(
        [sys.executable, "-m", "privacy_pages.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=patience(timeout),
        check=False,  # the exit code is the result; ``codes`` asserts it
    )
    result = CliResult(tuple(args), process.returncode, process.stdout, process.stderr)
    _RUNS.append(result)
    if codes is not None:
        assert result.code in codes, str(result)
    return result


class Cli:
    """The `cli` fixture: ``cli("check", path)`` in process, ``cli.spawn(...)`` as a child."""

    def __call__(
        self, *args: str, cwd: Path | None = None, codes: Sequence[int] | None = None
    ) -> CliResult:
        return invoke(*args, cwd=cwd, codes=codes)

    spawn = staticmethod(spawn)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and _RUNS:
        for number, run in enumerate(_RUNS, start=1):
            report.sections.append((f"privacy-pages run {number}", str(run)))
        _RUNS.clear()


# --- servers and packages -------------------------------------------------------------------


@pytest.fixture
def loopback() -> Iterator[Callable[[Path], str]]:
    """``loopback(folder)`` serves a folder on 127.0.0.1 for the test; returns its base URL
    (``http://127.0.0.1:PORT/``). Other servers: `tests.loopback.LoopbackServer`."""
    servers: list[LoopbackServer] = []

    def serve(folder: Path) -> str:
        servers.append(LoopbackServer(serve_folder(folder)).start())
        return servers[-1].url("/")

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def npm_modules() -> Path:
    """node_modules holding every npm package of the tests at its locked version."""
    from .npm_fixtures import NpmFixtureError, install_npm_fixtures

    try:
        return install_npm_fixtures()
    except NpmFixtureError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def browser_host() -> Iterator[Any]:
    """One Playwright driver and, while it behaves, one Chromium for this worker's audits
    of the test sites, as `audit --all` audits client after client (`BrowserHost`): each
    audit still opens fresh contexts of its own. Used by the modules whose audits are about
    what a site does, not about the browser's own life (its start, its temp folders, its
    kill by the budget: those modules start theirs)."""
    from privacy_audit.collect.host import BrowserHost

    with BrowserHost() as host:
        yield host


@pytest.fixture
def lent_browser(browser_host: Any) -> Iterator[Any]:
    """The test's audits (the command line's, the pipeline's) run on `browser_host`."""
    with browser_host.lent():
        yield browser_host

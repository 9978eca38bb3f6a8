"""One driver and one Chromium for audit after audit (`collect.host.BrowserHost`), as
`audit --all` uses them: nothing of one audit reaches the next, and a browser that an
audit could not close in its budget is never lent again."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect.host import BrowserHost
from privacy_audit.observations import Observations
from privacy_audit.settings import AuditSettings, parse_resolve

from ..conftest import patience
from .site_server import SITES, SiteServer
from .test_collect_cli import _processes_mentioning

pytestmark = pytest.mark.browser


def _settings(server: SiteServer, **overrides: Any) -> AuditSettings:
    options: dict[str, Any] = {
        "url": server.url(),
        "pages": 2,
        "timeout": patience(10),
        "budget": patience(150),
        "concurrency": 2,
        "settle": 0.3,
        "consent_wait": patience(4),
        "resolve": parse_resolve(server.resolve),
        "ignore_https_errors": True,
    }
    options.update(overrides)
    return AuditSettings(**options)


def _seen(observations: Observations) -> list[tuple[Any, ...]]:
    """Per phase: the cookies, storage keys and third parties, and the pages' outcomes."""
    return [
        (
            phase.phase,
            sorted((c.name, c.domain) for c in phase.cookies),
            sorted((s.kind, s.key) for s in phase.storage),
            sorted(r.host for r in phase.requests),
            [(p.url, p.status, p.error_kind) for p in phase.pages],
        )
        for phase in observations.phases
    ]


def test_audits_share_one_browser_and_nothing_else(
    serve_site: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, faults = serve_site("tarteaucitron"), serve_site("faults")
    profiles = Path(tempfile.mkdtemp(prefix="pp-host-", dir="/tmp"))  # short: socket paths
    monkeypatch.setattr("tempfile.tempdir", str(profiles))
    try:
        with BrowserHost() as host:
            first = host.observe(_settings(shop), tmp_path / "1")
            second = host.observe(_settings(shop), tmp_path / "2")
            assert host.started_browsers == 1
            assert _processes_mentioning(str(profiles)), "the browser is kept between audits"
            # A landing page that hangs past the budget: the phases are stopped with their
            # contexts open, so this audit closes the browser instead of lending it.
            budget = patience(6)
            started = time.monotonic()
            stopped = host.observe(
                _settings(faults, url=faults.url("/hang?s=60"), budget=budget), tmp_path / "3"
            )
            assert time.monotonic() - started < budget + patience(2)
            assert all(p.notes for p in stopped.phases)
            third = host.observe(_settings(shop), tmp_path / "4")
            assert host.started_browsers == 2
        # What the first audit accepted is not in the next ones' jars: every phase equal.
        before, _, accept = _seen(first)
        assert len(accept[1]) > len(before[1])  # something could have leaked, and did not
        assert _seen(second) == _seen(first) == _seen(third)
        assert _processes_mentioning(str(profiles)) == []
        assert [p.name for p in profiles.iterdir()] == []
    finally:
        monkeypatch.undo()
        shutil.rmtree(profiles, ignore_errors=True)


def test_ctrl_c_during_audit_all_leaves_no_browser_behind(serve_site: Any, tmp_path: Path) -> None:
    """The host's loop runs in a thread: Ctrl-C reaches the command's thread, which cancels
    the running audit and closes the shared browser before it says "interrupted"."""
    server = serve_site("faults")
    content = tmp_path / "content"
    content.mkdir()
    controller = (SITES / "bad" / "controller.yaml").read_text(encoding="utf-8")
    controller = controller.replace("website: http://shop.test/", f"website: {server.url()}")
    (content / "shop.yaml").write_text(controller, encoding="utf-8")
    marker = Path(tempfile.mkdtemp(prefix="pp-sigint-", dir="/tmp"))  # TMPDIR: our browsers
    argv = [sys.executable, "-m", "privacy_pages.cli", "audit", "--all", str(content)]
    argv += ["--out", str(tmp_path / "runs"), "--timeout", str(round(patience(10)))]
    argv += ["--ignore-https-errors", *(f"--resolve={rule}" for rule in server.resolve)]
    env = {**os.environ, "TMPDIR": str(marker), "PYTHONUNBUFFERED": "1"}
    try:
        with subprocess.Popen(
            argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True
        ) as process:
            try:
                assert process.stderr is not None
                seen = []
                for line in process.stderr:  # wait until the browser is loading pages
                    seen.append(line)
                    if "audit:   200" in line:
                        break
                assert _processes_mentioning(str(marker)), f"the browser should run: {seen}"
                process.send_signal(signal.SIGINT)
                rest = process.stderr.read()
                process.wait(timeout=patience(30))
            finally:
                if process.poll() is None:
                    process.kill()
        assert process.returncode == 130, rest
        assert "Traceback" not in rest and "never retrieved" not in rest, rest
        assert "privacy-pages: interrupted" in rest
        deadline = time.monotonic() + patience(5)
        while _processes_mentioning(str(marker)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes_mentioning(str(marker)) == []
        assert not [p for p in marker.iterdir() if p.name.startswith("privacy-pages-profile-")]
    finally:
        shutil.rmtree(marker, ignore_errors=True)

"""The audit against sites built for what is hard to see (tests/data/audit/accuracy/): each
site audited twice in a row with the default settings, asserted phase by phase, both runs
identical. A worker's accuracy audits share one driver and Chromium, as `audit --all`'s
clients do (`BrowserHost`): each audit still opens fresh contexts, so two runs in a row
identical also say that nothing of one audit reached the next. ``PRIVACY_PAGES_TEST_LOAD=N`` keeps N busy processes running beside them (a loaded
machine: busy loops make up what the machine's other work does not); the late-tracker site
is audited under load in any case.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect.host import BrowserHost

from .accuracy import (
    SITE_NAMES,
    Run,
    audit,
    busy_count,
    busy_machine,
    mismatches,
    outcome,
    run_mismatches,
    spec,
)
from .site_server import SiteServer

pytestmark = pytest.mark.browser


def _audit_twice(
    name: str, serve_site: Any, certificate: tuple[Path, Path], out: Path, host: BrowserHost
) -> tuple[Run, Run]:
    runs = []
    for attempt in ("first", "second"):
        if spec(name).get("fresh_server"):  # its first request misbehaves: a new server each
            server = SiteServer(name, certificate).start()
            try:
                runs.append(audit(name, server, out / attempt, host))
            finally:
                server.stop()
        else:
            runs.append(audit(name, serve_site(name), out / attempt, host))
    return runs[0], runs[1]


@pytest.mark.parametrize("name", SITE_NAMES)
def test_accuracy_site_phase_by_phase_twice_the_same(
    name: str,
    serve_site: Any,
    site_certificate: tuple[Path, Path],
    tmp_path: Path,
    browser_host: BrowserHost,
) -> None:
    with busy_machine(busy_count()):
        first, second = _audit_twice(name, serve_site, site_certificate, tmp_path, browser_host)
    for run in (first, second):
        wrong = {phase: w for phase, w in mismatches(name, run).items() if w}
        assert not wrong, wrong
        assert not run_mismatches(name, run), run_mismatches(name, run)
    any_phase = bool(spec(name).get("fresh_server"))
    assert outcome(first, any_phase=any_phase) == outcome(second, any_phase=any_phase)


def test_late_trackers_are_seen_on_a_loaded_machine(
    serve_site: Any, tmp_path: Path, browser_host: BrowserHost
) -> None:
    """Speed is never bought with blindness: what a quiet machine sees, a busy one sees."""
    with busy_machine(max(2, os.cpu_count() or 2)):
        run = audit("late", serve_site("late"), tmp_path, browser_host)
    wrong = {phase: w for phase, w in mismatches("late", run).items() if w}
    assert not wrong, wrong


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="reads the machine's load in /proc")
def test_a_machine_already_loaded_gets_no_more_load() -> None:
    """The loaded-machine tests ask for a number of busy processes, not that many more: on
    a machine whose other work already runs them (the suite's other workers), the loops
    pause. Before, they ran on top, and the suite paid twice for the load."""
    import subprocess
    import sys
    import time

    loop = "import time\nend = time.time() + 60\nwhile time.time() < end: pass\n"
    others = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(2)]
    try:
        with busy_machine(2, seconds=60) as loops:
            paused = []
            for _ in range(10):
                time.sleep(0.15)
                paused.append(sum(_state(p.pid) == "T" for p in loops))
    finally:
        for other in others:
            other.kill()
            other.wait()
    assert sorted(paused)[len(paused) // 2] == 2, paused


def _state(pid: int) -> str:
    """A process's state letter (``R`` running, ``T`` stopped)."""
    return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(") ", 1)[1][0]

"""Ctrl-C in the middle of an audit: the command runs in a subprocess whose TMPDIR is a
fresh folder, so that its browsers' profiles (and command lines) carry that folder's path."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..conftest import patience


def processes_mentioning(marker: str) -> list[int]:
    """Ids of the processes whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@dataclass(frozen=True)
class Interrupted:
    returncode: int
    stderr: str  # what the command said after the signal
    leftovers: list[str]  # names left in its TMPDIR, once it is gone


@contextmanager
def marked_tmpdir() -> Iterator[Path]:
    """A fresh TMPDIR under /tmp: short, as Chromium's singleton socket path must be."""
    marker = Path(tempfile.mkdtemp(prefix="pp-sigint-", dir="/tmp"))
    try:
        yield marker
    finally:
        shutil.rmtree(marker, ignore_errors=True)


def interrupt_while_loading(
    cli_args: list[str], sent: signal.Signals = signal.SIGINT
) -> Interrupted:
    """Run ``privacy-pages <cli_args>`` (not quiet), send ``sent`` once a page has loaded, and
    wait for the command and every browser process it started to be gone."""
    with marked_tmpdir() as marker:
        argv = [sys.executable, "-m", "privacy_pages.cli", *cli_args]
        env = {**os.environ, "TMPDIR": str(marker), "PYTHONUNBUFFERED": "1"}
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
                assert processes_mentioning(str(marker)), f"the browser should run: {seen}"
                process.send_signal(sent)
                rest = process.stderr.read()
                process.wait(timeout=patience(30))
            finally:
                if process.poll() is None:
                    process.kill()
        deadline = time.monotonic() + patience(5)
        while processes_mentioning(str(marker)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_mentioning(str(marker)) == [], "a browser outlived the command"
        return Interrupted(process.returncode, rest, sorted(p.name for p in marker.iterdir()))


def assert_interrupted_cleanly(interrupted: Interrupted) -> None:
    """Exit 130, one line saying so, no traceback, no profile folder left behind."""
    rest = interrupted.stderr
    assert interrupted.returncode == 130, rest
    # Issue 9: no traceback, no "Task exception was never retrieved" from the navigation.
    assert "Traceback" not in rest and "never retrieved" not in rest, rest
    assert "privacy-pages: interrupted" in rest
    profiles = [name for name in interrupted.leftovers if name.startswith("privacy-pages-profile-")]
    assert profiles == []

"""An audit leaves nothing in the temp folder: the browser is closed, not killed.

Playwright's ``browser.close()`` only disconnects from a Chromium attached over CDP, and a
SIGTERM skips Chromium's own cleanup: every audit left an ``org.chromium.Chromium.*`` folder
behind. The audit closes it with the protocol's ``Browser.close`` and waits for it; a kill
by process id (after a grace period) would be a note in the observations.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import REPO, slowdown, spawn

DEMO = REPO / "examples" / "demo-site"


@pytest.fixture
def temp() -> Iterator[Path]:
    """A temp folder of the test's own, with a short path: Chromium puts a Unix socket in
    its temporary folder, and a socket path is limited to 107 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="pp-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.browser
def test_an_audit_leaves_the_temp_folder_as_it_found_it(tmp_path: Path, temp: Path) -> None:
    (temp / "someone-elses.txt").write_text("kept", encoding="utf-8")
    before = sorted(p.name for p in temp.iterdir())
    out = tmp_path / "report"
    result = spawn(
        "audit", str(DEMO / "controller.yaml"), "--serve", str(DEMO / "public"),
        "--out", str(out), "--pages", "1", "--consent-wait", "0", "--settle", "0.2", "--quiet",
        "--format", "json", env={**os.environ, "TMPDIR": str(temp)}, timeout=300,
    )  # fmt: skip
    assert result.code in (0, 1), result.err
    assert sorted(p.name for p in temp.iterdir()) == before
    observations = json.loads((out / "observations.json").read_text(encoding="utf-8"))
    notes = [note for phase in observations["phases"] for note in phase.get("notes", [])]
    assert not [n for n in notes if "close" in n or "kill" in n], notes


@pytest.mark.browser
def test_a_killed_browser_leaves_the_temp_folder_as_it_found_it(temp: Path) -> None:
    """A browser past the audit's budget is killed: Chromium cannot remove its single-instance
    folder (``org.chromium.Chromium.*``, beside its socket) then, so closing removes it."""
    import asyncio
    import signal

    from playwright.async_api import async_playwright

    from privacy_audit.collect.browser import SharedBrowser, find_browser
    from privacy_audit.settings import Timeouts

    async def run() -> list[str]:
        async with async_playwright() as playwright:
            shared = SharedBrowser(playwright, find_browser(None), resolve={}, timeouts=Timeouts())
            await shared.start()
            assert shared.process is not None
            os.kill(shared.process.pid, signal.SIGKILL)
            await shared.close()
            return shared.notes

    before = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(temp)  # Chromium's temp folder: the one this test watches
    try:
        notes = asyncio.run(run())
    finally:
        if before is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = before
    assert [p.name for p in temp.iterdir()] == [], notes


@pytest.mark.browser
def test_the_next_audit_removes_the_profile_of_a_browser_killed_outright() -> None:
    """An audit killed with ``kill -9`` leaves its profile (its browser dies with it, see
    test_collect_cli): Chromium's own lock in it names a process gone, so the next audit's
    start removes it."""
    import asyncio
    import signal

    from playwright.async_api import async_playwright

    from privacy_audit.collect.browser import SharedBrowser, find_browser, remove_stale_profiles
    from privacy_audit.settings import Timeouts

    async def run() -> tuple[Path, bool]:
        async with async_playwright() as playwright:
            shared = SharedBrowser(playwright, find_browser(None), resolve={}, timeouts=Timeouts())
            await shared.start()
            assert shared.process is not None
            os.kill(shared.process.pid, signal.SIGKILL)
            shared.process.wait()
            # Its helpers notice the death a moment later; until then the profile is theirs.
            # An audit starting meanwhile in another test worker may be the one to remove it.
            deadline = time.monotonic() + 10 * slowdown()
            remove_stale_profiles(shared.profile.parent)
            while shared.profile.exists() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
                remove_stale_profiles(shared.profile.parent)
            removed_before_close = not shared.profile.exists()
            await shared.close()
            return shared.profile, removed_before_close

    profile, removed_before_close = asyncio.run(run())
    assert removed_before_close
    assert not profile.exists()


def test_the_driver_folder_is_removed_only_empty(tmp_path: Path) -> None:
    """The Playwright driver's folder of a connection is removed after the browser when the
    driver did not: empty only, so a folder another program fills is never emptied."""
    from privacy_audit.collect.browser import remove_driver_folder

    empty, filled = tmp_path / "playwright-artifacts-a", tmp_path / "playwright-artifacts-b"
    empty.mkdir()
    filled.mkdir()
    (filled / "download.bin").write_bytes(b"x")
    for folder in (empty, filled, tmp_path / "playwright-artifacts-gone", None):
        remove_driver_folder(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["playwright-artifacts-b"]
    assert (filled / "download.bin").read_bytes() == b"x"

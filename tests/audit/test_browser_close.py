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
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import REPO, spawn

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

"""Golden-file comparison; `UPDATE_GOLDEN=1 pytest` rewrites the files instead."""

from __future__ import annotations

import os
from pathlib import Path


def assert_golden(actual: str, path: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            raise AssertionError(f"golden file {path} was missing and has been written; rerun")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {path} (UPDATE_GOLDEN=1 to accept)"

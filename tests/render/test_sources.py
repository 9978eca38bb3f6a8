"""Loading and rendering a content folder: parallel and serial give the same site."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from privacy_pages.render import Layout
from privacy_pages.site import loading

from .conftest import DATA


def _copies(folder: Path, count: int) -> None:
    template = yaml.safe_load((DATA / "atelier.yaml").read_text(encoding="utf-8"))
    folder.mkdir()
    for index in range(count):
        template["id"] = f"copy-{index:03d}"
        (folder / f"copy-{index:03d}.yaml").write_text(
            yaml.safe_dump(template, allow_unicode=True), encoding="utf-8"
        )


def test_parallel_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _copies(tmp_path / "content", 20)
    serial = loading.load_site(tmp_path / "content", Layout())
    monkeypatch.setattr(loading, "_workers", lambda count: 2)
    parallel = loading.load_site(tmp_path / "content", Layout())
    assert [c.id for c in parallel.controllers] == [c.id for c in serial.controllers]
    assert parallel.pages == serial.pages
    assert len(serial.pages) == 20 * 2 * 4


def test_duplicate_ids_and_missing_folder(tmp_path: Path) -> None:
    _copies(tmp_path / "content", 1)
    (tmp_path / "content" / "again.yaml").write_bytes(
        (tmp_path / "content" / "copy-000.yaml").read_bytes()
    )
    site = loading.load_site(tmp_path / "content", Layout())
    assert [d.rule for d in site.errors] == ["CS008"]  # the rule `check` reports too
    assert "already used by" in site.error_report()
    drafts = loading.load_site(tmp_path / "content", Layout(), drafts=True)
    assert [d.rule for d in drafts.skipped] == ["CS008"] and len(drafts.controllers) == 1
    missing = loading.load_site(tmp_path / "nowhere")
    assert missing.missing_folder and "not found" in missing.error_report()

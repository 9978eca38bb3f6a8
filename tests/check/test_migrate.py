"""`privacy-pages migrate`: schema-1 files rewritten for schema 2, comments kept, nothing
overwritten, and nothing written when the edit could change the meaning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA

OLD = DATA.parent / "model" / "architecte-v1.yaml"


def test_migrated_file_keeps_comments_and_invents_no_fact(cli, tmp_path: Path) -> None:
    result = cli("migrate", str(OLD), "--output", str(tmp_path))
    assert result.code == 0, result
    migrated = (tmp_path / OLD.name).read_text(encoding="utf-8")
    assert migrated.startswith("# yaml-language-server:")
    assert "schema_version: 2" in migrated
    assert "    - authority: Conseil régional de l'Ordre des architectes" in migrated
    assert "non_professional" not in migrated  # the old file does not say it
    check = json.loads(cli("check", str(tmp_path / OLD.name), "--format", "json").out)
    rules = [d["rule"] for d in check["diagnostics"]]
    assert rules.count("SCHEMA003") == 1  # natural_person: say non_professional true or false
    assert "regulated_activity (schema 1)" not in json.dumps(check)
    # A sole-trader architect is a professional publisher until the file says otherwise:
    # the legal notice's gaps (address, phone, publication director) are reported.
    assert check["summary"]["errors"] >= 3, check["summary"]
    before = json.loads(cli("check", str(OLD), "--format", "json").out)["summary"]["errors"]
    assert check["summary"]["errors"] >= before


def test_a_comment_on_the_version_line_is_kept(cli, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text("schema_version: 1   # written in 2025\nid: x\nlanguages: [en]\n")
    result = cli("migrate", str(old))
    assert result.code == 0, result
    assert result.out.startswith("schema_version: 2   # written in 2025\nid: x\n")


@pytest.mark.parametrize("kind", ["dangling-symlink", "symlink", "fifo", "folder"])
def test_nothing_is_written_over_any_existing_name(cli, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target, elsewhere = out / OLD.name, tmp_path / "elsewhere.yaml"
    if kind == "dangling-symlink":
        target.symlink_to(elsewhere)
    elif kind == "symlink":
        elsewhere.write_text("mine\n", encoding="utf-8")
        target.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    result = cli("migrate", str(OLD), "--output", str(out))
    assert result.code == 2 and result.err.count("\n") == 1, result
    assert "exists; not overwritten" in result.err
    assert sorted(p.name for p in out.iterdir()) == [OLD.name]
    assert not elsewhere.exists() or elsewhere.read_text(encoding="utf-8") == "mine\n"


def test_a_named_pipe_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "privacy_pages.cli", "migrate", str(fifo)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{fifo}: not a regular file (a pipe, socket or device)\n"


def test_never_overwrites(cli, tmp_path: Path) -> None:
    (tmp_path / OLD.name).write_text("mine\n", encoding="utf-8")
    result = cli("migrate", str(OLD), "--output", str(tmp_path))
    assert result.code == 2 and "not overwritten" in result.err
    assert (tmp_path / OLD.name).read_text(encoding="utf-8") == "mine\n"


def test_flow_mapping_and_refusal_when_unsafe(cli, tmp_path: Path) -> None:
    ok = tmp_path / "ok.yaml"
    ok.write_text("id: x\nlanguages: [en]\ncontroller:\n  regulated_activity: {authority: B}\n")
    result = cli("migrate", str(ok))
    assert result.code == 0, result
    assert "  regulated_activities: [{authority: B}]" in result.out
    assert result.out.startswith("schema_version: 2\n")
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text(
        "id: x\nlanguages: [en]\ncontroller:\n  regulated_activity: {authority: B} # note\n"
    )
    result = cli("migrate", str(unsafe), "--output", str(tmp_path / "out"))
    assert result.code == 2 and "not migrated" in result.err, result
    assert not (tmp_path / "out").exists()


def test_schema_2_file_is_left_alone(cli) -> None:
    complete = DATA / "formats" / "complete.yaml"
    result = cli("migrate", str(complete))
    assert result.code == 2 and "not 1" in result.err

"""`--output FILE`: atomic for regular files, written through for devices and FIFOs,
symlinks followed, permissions from the umask."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from privacy_pages.atomic import write_text_atomic

from .conftest import DATA

COMPLETE = DATA / "formats" / "complete.yaml"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _check_to(cli, output: Path):  # type: ignore[no-untyped-def]
    return cli("check", str(COMPLETE), "--format", "json", "--output", str(output))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_a_device_is_written_through_never_replaced(cli) -> None:
    before = os.stat("/dev/full")
    result = _check_to(cli, Path("/dev/full"))
    assert result.code == 2, result
    assert "cannot write /dev/full: No space left on device" in result.err
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_is_written_through(cli, tmp_path: Path) -> None:
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = _check_to(cli, fifo)
    reader.join(timeout=30)
    assert result.code == 0, result
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["summary"]["files"] == 1
    assert list(tmp_path.iterdir()) == [fifo]


def test_a_symlink_is_followed_and_kept(cli, tmp_path: Path) -> None:
    real = tmp_path / "reports" / "check.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert _check_to(cli, link).code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text(encoding="utf-8"))["summary"]["files"] == 1
    assert sorted(p.name for p in real.parent.iterdir()) == ["check.json"]


def test_a_dangling_symlink_creates_its_target(cli, tmp_path: Path) -> None:
    link = tmp_path / "latest.json"
    link.symlink_to(tmp_path / "new.json")
    assert _check_to(cli, link).code == 0
    assert link.is_symlink() and (tmp_path / "new.json").is_file()


def test_a_folder_is_refused_in_one_line(cli, tmp_path: Path) -> None:
    result = _check_to(cli, tmp_path)
    assert result.code == 2 and "Is a directory" in result.err, result
    assert list(tmp_path.iterdir()) == []


def test_new_files_follow_the_umask_and_existing_ones_keep_their_mode(
    cli, tmp_path: Path, umask_022: None
) -> None:
    new = tmp_path / "sub" / "check.json"
    assert _check_to(cli, new).code == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    assert stat.S_IMODE(new.parent.stat().st_mode) == 0o755
    os.chmod(new, 0o600)
    assert _check_to(cli, new).code == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    os.umask(0o077)
    write_text_atomic(tmp_path / "private.txt", "x")
    assert stat.S_IMODE((tmp_path / "private.txt").stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "check.json"
    target.write_text("previous", encoding="utf-8")

    def no_space(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "previous"
    assert list(tmp_path.iterdir()) == [target]

"""`privacy-pages build` replaces only a folder of its own, atomically, with normal permissions."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from privacy_pages import atomic
from privacy_pages.cli import main
from privacy_pages.site.site_dir import MARKER

from ..conftest import patience
from .conftest import DATA


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project with one controller, a .git folder and some code, as the working folder."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "atelier.yaml").write_bytes((DATA / "atelier.yaml").read_bytes())
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (tmp_path / "code.py").write_text("print('mine')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    yield tmp_path
    os.umask(old)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _build(site: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["build", "--quiet", "--site-dir", site])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("site", [".", "content", "..", "/", "content/..", "./"])
def test_the_project_and_its_content_are_never_replaced(
    project: Path, capsys: pytest.CaptureFixture[str], site: str
) -> None:
    before = _snapshot(project)
    code, err = _build(site, capsys)
    assert code == 2, err
    assert err.startswith("privacy-pages build: error: ") and err.count("\n") == 1, err
    assert _snapshot(project) == before


def test_a_folder_of_someone_else_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "public").mkdir()
    (project / "public" / "keep.html").write_text("theirs", encoding="utf-8")
    code, err = _build("public", capsys)
    assert code == 2 and "no .privacy-pages-site in it" in err, err
    assert (project / "public" / "keep.html").read_text(encoding="utf-8") == "theirs"


def test_a_marker_up_the_tree_does_not_count(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _build("site", capsys)[0] == 0
    assert (project / "site" / MARKER).is_file()
    assets = project / "site" / "assets"
    before = _snapshot(assets)
    code, err = _build("site/assets", capsys)
    assert code == 2, err
    assert _snapshot(assets) == before


def test_a_file_is_not_a_site_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    code, err = _build("notes.txt", capsys)
    assert code == 2 and "not a folder" in err, err
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_new_empty_and_previous_builds_are_replaced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "empty").mkdir()
    assert _build("empty", capsys)[0] == 0
    assert _build("site", capsys)[0] == 0
    (project / "site" / "stale.html").write_text("old page", encoding="utf-8")
    assert _build("site", capsys)[0] == 0
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").is_file()


@pytest.mark.parametrize(
    ("umask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)]
)
def test_the_site_follows_the_umask(
    project: Path, capsys: pytest.CaptureFixture[str], umask: int, file_mode: int, dir_mode: int
) -> None:
    os.umask(umask)
    assert _build("site", capsys)[0] == 0
    site = project / "site"
    assert stat.S_IMODE(site.stat().st_mode) == dir_mode
    for path in [site / "index.html", site / MARKER, *site.rglob("*")]:
        expected = dir_mode if path.is_dir() else file_mode
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_a_failed_final_rename_leaves_the_old_site_and_nothing_else(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _build("site", capsys)[0] == 0
    before = _snapshot(project / "site")
    real_replace = os.replace

    def failing_replace(src, dst):  # type: ignore[no-untyped-def]
        if Path(dst) == project / "site" and Path(src).name == "output":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    code, err = _build("site", capsys)
    assert code == 2 and "No space left on device" in err, err
    assert _snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir()) == [".git", "code.py", "content", "site"]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_staging_folders_of_ours_are_cleaned(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = project / f".site.staging.{_dead_pid()}.k1ll3d"
    (stale / "output").mkdir(parents=True)
    running = project / f".site.staging.{os.getppid()}.4l1v3"
    running.mkdir()
    theirs = project / ".site.staging.theirs"  # no process id in the name: not ours
    theirs.mkdir()
    other = project / f".public.staging.{_dead_pid()}.x"  # another target's
    other.mkdir()
    assert _build("site", capsys)[0] == 0
    assert not stale.exists()
    assert running.is_dir() and theirs.is_dir() and other.is_dir()


def test_kill_9_during_a_build_is_cleaned_by_the_next_run(project: Path, tmp_path: Path) -> None:
    """Its staging folder beside the site, and its temporary folder (the built-in site's
    mkdocs.yml): both go at the next build; another user's or a live process's never."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    alive = temp / f"privacy-pages-build.{os.getpid()}.live"  # a running build's
    other = temp / "privacy-pages-build.notapid.x"  # not named as ours
    for folder in (alive, other):
        folder.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "privacy_pages.cli", "build", "--quiet", "--site-dir", "site"]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + patience(60)
    while not list(project.glob(".site.staging.*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert list(project.glob(".site.staging.*")), "the build was killed before it staged"
    left = temp / f"privacy-pages-build.{process.pid}"
    assert [p for p in temp.iterdir() if p.name.startswith(left.name)], "no temporary folder"
    finished = subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=patience(120), env=env
    )
    assert finished.returncode == 0, finished.stderr
    assert not list(project.glob(".site.staging.*"))
    assert (project / "site" / "index.html").is_file()
    ours = sorted(p for p in temp.iterdir() if p.name.startswith("privacy-pages-"))
    assert ours == sorted([alive, other])  # (MkDocs' templates keep a cache there: theirs)

"""Write files and folders so that a failed run leaves the previous output untouched.

Permissions follow the umask, as with any other tool (0644 files and 0755 folders under the
usual 022): a web server running as another user must be able to read a built site.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

# A staging folder is named ``.NAME.staging.PID.RANDOM`` from the instant it exists: a
# later run removes the staging folders whose process is gone (kill -9, power cut), and
# only those.
_STAGING_NAME = re.compile(r"^\.(?P<name>.+)\.staging\.(?P<pid>[0-9]+)\.[A-Za-z0-9_]+$")
# A temporary folder of a command (`temporary_folder`), the same way.
_TEMPORARY_NAME = re.compile(r"^privacy-pages-(?P<kind>[a-z]+)\.(?P<pid>[0-9]+)\.[A-Za-z0-9_]+$")


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # elsewhere: set and restore (not thread-safe, but brief)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Replace the file at ``path`` whole, or write through it when it is not a regular file.

    A symlink is followed on purpose: the file it names gets the new content and the link
    stays. A device or a FIFO (``/dev/stdout``, ``/dev/full``, a named pipe) is written to
    as the shell's ``>`` would; renaming over it would replace the device with a file. An
    existing file keeps its permissions; a new one gets the umask's.
    """
    with _atomic_handle(path, "wb") as handle:
        handle.write(data)


@contextlib.contextmanager
def _atomic_handle(path: str | Path, mode: str, encoding: str | None = None) -> Iterator[Any]:
    """A handle (``mode`` "wb" or "w") whose content replaces ``path`` whole when the block
    ends without an error: written to a temporary file beside it, then renamed. A device or
    a FIFO is written through; a failed block leaves the previous file untouched."""
    target = Path(os.path.realpath(path))
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with open(target, mode, encoding=encoding) as handle:
            yield handle
        return
    permissions = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~current_umask()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            os.fchmod(handle.fileno(), permissions)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:  # Ctrl-C or a full disk alike: never leave the temporary file
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_new_file(path: str | Path, data: bytes) -> None:
    """Create ``path`` with ``data``, atomically, and never over anything that exists there.

    `FileExistsError` when any entry has the name, a dangling symlink, a FIFO or a device
    included: the complete file appears under its name or nothing does (a temporary file is
    written beside it, then hard-linked to the name, which fails if the name was taken).
    """
    target = Path(path)
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~current_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.staging.{os.getpid()}."


def _process_is_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, under another user
    return False


def remove_stale_temporary(base: Path, kind: str) -> list[Path]:
    """Remove the folders `temporary_folder` made for ``kind`` in ``base`` whose process is
    gone (a run killed outright); return them. Only real folders of this user, so named."""
    folders = base.glob(f"privacy-pages-{kind}.*")
    return _remove_dead(folders, _TEMPORARY_NAME, "kind", kind, this_user_only=True)


@contextlib.contextmanager
def temporary_folder(kind: str) -> Iterator[Path]:
    """A new folder ``privacy-pages-KIND.PID.*`` in the temp folder, removed on the way out.

    The ones a run killed outright left behind (its ``finally`` never ran) are removed first:
    those of this user whose process is gone, and only those."""
    base = Path(tempfile.gettempdir())
    remove_stale_temporary(base, kind)
    folder = Path(tempfile.mkdtemp(prefix=f"privacy-pages-{kind}.{os.getpid()}.", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the staging folders a killed run left beside ``target``; return them.

    Only folders named by `atomic_directory` for ``target`` whose process no longer runs.
    """
    folders = target.parent.glob(f".{target.name}.staging.*")
    return _remove_dead(folders, _STAGING_NAME, "name", target.name)


def _remove_dead(
    folders: Iterable[Path],
    pattern: re.Pattern[str],
    group: str,
    wanted: str,
    *,
    this_user_only: bool = False,
) -> list[Path]:
    """Remove each real folder whose name ``pattern`` matches, with ``wanted`` as its
    ``group`` and the id of a process that no longer runs as its ``pid``; the ones removed."""
    removed = []
    for folder in folders:
        match = pattern.match(folder.name)
        if not match or match[group] != wanted or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            if this_user_only and folder.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        if _process_is_gone(int(match["pid"])):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``path`` whole, on failure it goes.

    The staging folder sits in a work folder beside ``path`` (``.NAME.staging.PID.*``). The
    old output is renamed into the work folder, the new one renamed in, then the work folder
    removed: a reader sees either the complete old output or the complete new one. If the
    final rename fails, the old output is put back and nothing is left behind. The caller
    decides whether ``path`` may be replaced at all (see `privacy_pages.owned`).
    """
    target = Path(path).resolve()
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    work = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
    try:
        output = work / "output"
        output.mkdir()
        yield output
        previous = work / "previous"
        had_target = target.exists()
        if had_target:
            os.replace(target, previous)
        try:
            os.replace(output, target)
        except BaseException:  # whatever stopped the swap, the previous folder comes back
            if had_target:
                os.replace(previous, target)
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def atomic_text_writer(path: str | Path, encoding: str = "utf-8") -> Iterator[Any]:
    """A text handle whose content replaces ``path`` whole when the block ends without an
    error, as `write_bytes_atomic` does for data held in memory: for output written as it
    is produced. A device or a FIFO is written through; a failed block leaves the previous
    file untouched."""
    with _atomic_handle(path, "w", encoding) as handle:
        yield handle

"""The process tree below a process, read from Linux /proc: for cleaning up and measuring.

The audit kills, by id, browsers of its own that did not close in time; the benchmarks
measure the proportional set size (PSS) of a whole tree, browser included. Elsewhere than
Linux both see an empty tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    if not _PROC.is_dir():
        return children
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we read
        children.setdefault(parent, []).append(int(entry.name))
    return children


def descendants(root: int) -> list[int]:
    """Process ids below ``root``."""
    children = _children()
    found: list[int] = []
    queue = [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


@dataclass(frozen=True)
class ProcessId:
    """A process as the kernel knows it: its id and its start time (clock ticks after boot),
    so that an id the kernel gave again to another process is not mistaken for it."""

    pid: int
    started: int


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first); None when gone."""
    try:
        return (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def identify(pid: int) -> ProcessId | None:
    """``pid`` with its start time; None when it has ended."""
    fields = _stat_fields(pid)
    try:
        return ProcessId(pid, int(fields[19])) if fields else None
    except (IndexError, ValueError):
        return None


def running(process: ProcessId) -> bool:
    """Whether ``process`` is still there and not a zombie (a zombie runs nothing)."""
    fields = _stat_fields(process.pid)
    if not fields or fields[0] in ("Z", "X"):
        return False
    try:
        return int(fields[19]) == process.started
    except (IndexError, ValueError):
        return False


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process: shared pages split between the processes that
    share them, so a tree of Chromium processes is not counted several times (RSS would).
    0 when the process is gone."""
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_bytes(roots: Iterable[int]) -> int:
    """PSS of ``roots`` and every process below them."""
    pids = set()
    for root in roots:
        pids.add(root)
        pids.update(descendants(root))
    return sum(pss_bytes(pid) for pid in pids)

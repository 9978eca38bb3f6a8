"""The process tree below a process, read from Linux /proc: for cleaning up and measuring.

The audit kills, by id, browsers of its own that did not close in time; the benchmarks
measure the proportional set size (PSS) of a whole tree, browser included. Elsewhere than
Linux both see an empty tree.
"""

from __future__ import annotations

from collections.abc import Iterable
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

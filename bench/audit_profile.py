"""Where the audit's CPU goes, process by process, beside the three-phase floor's.

`audit_bench` gives one CPU figure per side; this says which process spends it. The same
generated site and the same two runs (the three-phase floor and `collect` with its
defaults), alternated ``--repeat`` times; meanwhile every process below this one is read
from /proc every 20 ms (its CPU so far, by process id and start time) and sorted by its
role: this Python process, the Playwright driver (node), Chromium's browser process, its
renderers, GPU, network and other utility processes. A process that ends between two reads
loses its last 20 ms at most. Beside it, the Playwright calls this process made and the
events it received, by kind (one run of each): what the audit asks that the floor does not.

Run: ``python bench/audit_profile.py [--repeat 3]`` (about a minute; Linux); quote it with
``uptime``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_bench import _plain_playwright, generate_site

from privacy_audit.collect.collector import collect
from privacy_audit.collect.serve import StaticServer
from privacy_audit.settings import AuditSettings

TICK = os.sysconf("SC_CLK_TCK")


def role_of(pid: int) -> str:
    """What a process of the tree is, from its command line."""
    try:
        line = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return "ended before identified"
    words = line.replace("\0", " ").split()  # a renamed zygote fork: one string, spaces
    if not words:
        return "ended before identified"
    if pid == os.getpid():
        return "python (this process)"
    if os.path.basename(words[0]) == "node":
        return "playwright driver (node)"
    for word in words:
        if word.startswith("--utility-sub-type="):
            return "utility: " + word.split("=", 1)[1].split(".")[-1]
        if word.startswith("--type="):
            return {"gpu-process": "gpu"}.get(word[7:], word[7:])
    return "chromium browser"


class TreeCpu:
    """Samples the CPU of every process below this one, by role, in a thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self.cpu: dict[tuple[int, str], float] = {}
        self.roles: dict[tuple[int, str], str] = {}
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._own = 0.0  # the sampling thread's own CPU, not the measured run's

    def _read(self) -> None:
        parents: dict[int, list[int]] = {}
        stats: dict[int, list[str]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry))
            stats[int(entry)] = fields
        queue = [os.getpid()]
        while queue:
            for pid in parents.get(queue.pop(), []):
                queue.append(pid)
                fields = stats[pid]
                key = (pid, fields[19])  # a process id is reused; with its start time it is not
                self.cpu[key] = (int(fields[11]) + int(fields[12])) / TICK
                known = self.roles.get(key)
                if known in (None, "chromium browser", "zygote", "ended before identified"):
                    found = role_of(pid)  # a zygote's fork renames itself after a while
                    if known is None or found != "ended before identified":
                        self.roles[key] = found

    def _run(self) -> None:
        started = time.thread_time()
        while not self._stop.is_set():
            self._read()
            self._stop.wait(self._interval)
        self._own = time.thread_time() - started

    def start(self) -> None:
        times = os.times()
        self._self = times.user + times.system
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        times = os.times()
        self.python = times.user + times.system - self._self - self._own

    def by_role(self) -> dict[str, float]:
        found: dict[str, float] = collections.Counter({"python (this process)": self.python})
        for key, seconds in self.cpu.items():
            found[self.roles[key]] += seconds
        return dict(found)


@contextmanager
def protocol_counts() -> Iterator[tuple[collections.Counter[str], collections.Counter[str]]]:
    """Counts the Playwright calls this process sends and the events it receives."""
    from playwright._impl import connection

    sent: collections.Counter[str] = collections.Counter()
    received: collections.Counter[str] = collections.Counter()
    send, dispatch = connection.Connection.send_message_to_server, connection.Connection.dispatch

    def counting_send(self: Any, owner: Any, method: str, *args: Any) -> Any:
        sent[f"{owner._type}.{method}"] += 1
        return send(self, owner, method, *args)

    def counting_dispatch(self: Any, message: dict[str, Any]) -> None:
        if not message.get("id"):
            owner = self._objects.get(message.get("guid"))
            received[f"{getattr(owner, '_type', '?')}.{message.get('method')}"] += 1
        dispatch(self, message)

    connection.Connection.send_message_to_server = counting_send  # type: ignore[method-assign]
    connection.Connection.dispatch = counting_dispatch  # type: ignore[method-assign]
    try:
        yield sent, received
    finally:
        connection.Connection.send_message_to_server = send  # type: ignore[method-assign]
        connection.Connection.dispatch = dispatch  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="pages of the site")
    parser.add_argument("--repeat", type=int, default=3, help="alternated runs of each")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}; medians of {args.repeat}")
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as out:
        root = Path(folder)
        paths = generate_site(root, args.pages)
        with StaticServer(root) as server:
            base = server.url()
            urls = [base.rstrip("/") + p for p in paths]
            runs: dict[str, Callable[[], object]] = {
                "three-phase floor": lambda: asyncio.run(_plain_playwright(urls, contexts=3)),
                "audit": lambda: collect(
                    AuditSettings(url=base, pages=args.pages, budget=600), Path(out)
                ),
            }
            seconds: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
            for _ in range(args.repeat):
                for name, run in runs.items():
                    tree = TreeCpu()
                    tree.start()
                    run()
                    tree.stop()
                    seconds[name].append(tree.by_role())
            calls = {}
            for name, run in runs.items():
                with protocol_counts() as counted:
                    run()
                calls[name] = counted
    roles = sorted({r for rows in seconds.values() for row in rows for r in row})
    medians = {
        name: {r: statistics.median(row.get(r, 0.0) for row in rows) for r in roles}
        for name, rows in seconds.items()
    }
    print(f"{'CPU seconds, median':<34}" + "".join(f"{name:>20}" for name in runs))
    for r in sorted(roles, key=lambda r: -medians["audit"][r]):
        print(f"{r:<34}" + "".join(f"{medians[name][r]:20.2f}" for name in runs))
    totals = {
        name: statistics.median(sum(row.values()) for row in rows) for name, rows in seconds.items()
    }
    print(f"{'total':<34}" + "".join(f"{totals[name]:20.2f}" for name in runs))
    for what, index in (("calls sent", 0), ("events received", 1)):
        print(
            f"Playwright {what} (one run): "
            + ", ".join(f"{name} {sum(counted[index].values())}" for name, counted in calls.items())
        )
        for method, count in calls["audit"][index].most_common(12):
            print(
                f"  {count:5d} audit, {calls['three-phase floor'][index][method]:5d} floor  {method}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

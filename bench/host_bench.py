"""Audits one after another, as `audit --all` runs them: each with its own driver and
Chromium (`collect`), against one `BrowserHost` for all. Same run, alternated.

The site is `audit_bench`'s generated one (``--pages`` pages, a hand-written banner, a
third-party pixel), audited ``--sites`` times in a row by each side; ``--repeat`` alternated
rounds, medians reported. CPU is the whole process tree's (this process, the drivers,
every Chromium process, reaped as `audit_bench` reaps them). The two sides must observe the
same thing: the bench stops if a phase's cookies, storage or third parties differ.

Run: ``python bench/host_bench.py [--sites 5] [--pages 4] [--repeat 3]``; quote it with
``uptime``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_bench import _cpu_seconds, begin, generate_site, reap_descendants

from privacy_audit.collect.collector import collect
from privacy_audit.collect.host import BrowserHost
from privacy_audit.collect.serve import StaticServer
from privacy_audit.observations import Observations
from privacy_audit.settings import AuditSettings


def _seen(observations: Observations) -> list[Any]:
    return [
        (
            sorted(c.name for c in p.cookies),
            sorted(s.key for s in p.storage),
            sorted(r.host for r in p.requests),
        )
        for p in observations.phases
    ]


def _timed(audits: Any) -> tuple[float, float, list[Any]]:
    started, cpu = time.perf_counter(), _cpu_seconds()
    seen = audits()
    wall = time.perf_counter() - started
    reap_descendants()
    return wall, _cpu_seconds() - cpu, seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=5, help="audits in a row per side")
    parser.add_argument("--pages", type=int, default=4, help="pages of the site")
    parser.add_argument("--repeat", type=int, default=3, help="alternated rounds")
    args = parser.parse_args(argv)
    begin(args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        root.mkdir()
        generate_site(root, args.pages)
        out = Path(folder) / "out"
        with StaticServer(root) as server:
            settings = AuditSettings(url=server.url(), pages=args.pages, budget=600)

            def lone() -> list[Any]:
                return [_seen(collect(settings, out / f"lone-{n}")) for n in range(args.sites)]

            def hosted() -> list[Any]:
                with BrowserHost() as host:
                    return [
                        _seen(host.observe(settings, out / f"host-{n}")) for n in range(args.sites)
                    ]

            rounds: dict[str, list[tuple[float, float]]] = {"lone": [], "host": []}
            reference = None  # what the first audit saw: every other must see the same
            for _ in range(args.repeat):
                for name, audits in (("lone", lone), ("host", hosted)):
                    wall, cpu, seen = _timed(audits)
                    reference = seen[0] if reference is None else reference
                    if any(one != reference for one in seen):
                        print(f"{name}: an audit did not observe what the first did: {seen}")
                        return 1
                    rounds[name].append((wall, cpu))
    med = {n: [statistics.median(r[i] for r in rows) for i in (0, 1)] for n, rows in rounds.items()}
    for name, label in (("lone", "a driver and a browser per audit"), ("host", "one host")):
        wall, cpu = med[name]
        print(
            f"{args.sites} audits, {label:<32} {wall:6.2f} s wall {cpu:6.2f} s CPU  "
            f"CPU runs {[round(r[1], 2) for r in rounds[name]]}"
        )
    (lone_wall, lone_cpu), (host_wall, host_cpu) = med["lone"], med["host"]
    print(
        f"host / lone: {host_cpu / lone_cpu:.2f}x CPU, {host_wall / lone_wall:.2f}x wall; "
        f"saved per audit: {(lone_cpu - host_cpu) / args.sites:.2f} s CPU, "
        f"{(lone_wall - host_wall) / args.sites:.2f} s wall"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What each part of the audit costs: the audit with one part at a time switched off, beside
the three-phase floor, in one run.

`audit_bench` says how far the audit is from the floor (a plain Playwright load of the same
pages in three contexts); `audit_profile` says which process spends it. This says which of
the audit's parts does: each variant is the audit of the same generated site with one part
off, in a fresh process (this script with ``--run``), alternated ``--repeat`` times so that all
see the same machine load. CPU is the whole process tree's (the driver and every Chromium
process, its orphaned renderers reaped as `audit_bench` does). Each side imports Playwright in
its fresh process, inside the measurement, so the ratios here are a little lower than
`audit_bench`'s, whose floors and audit share one process. A part switched off here is off
for the measurement only: the audit does not offer it.

- ``one tab per phase``: ``--concurrency 1``, the only variant that is a setting; by default
  each phase opens a second tab for its second worker, and a tab costs about what a page does;
- ``no consent engine``: autoconsent's engine is not installed (its script and the rules of
  the consent managers it knows go to every frame of each landing page and are tried there);
  the text fallback still finds and answers the banner;
- ``no consent driver``: no banner is looked for, answered or photographed;
- ``no Set-Cookie reads``: no response's raw headers are asked for its Set-Cookie lines (a
  call to the driver for each response);
- ``no write hook``: no page script reports cookie and storage writes and timers;
- ``all of the above off``: what the collector itself costs beyond the floor.

Run: ``python bench/audit_ablation.py [--pages 4] [--repeat 3]`` (about two minutes);
quote it with ``uptime``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_bench import (
    _cpu_seconds,
    _plain_playwright,
    adopt_orphans,
    generate_site,
    reap_descendants,
)

from privacy_audit.collect.serve import StaticServer

FLOOR = "three-phase floor"
AUDIT = "audit"
PARTS = (
    "one tab per phase",
    "no consent engine",
    "no consent driver",
    "no Set-Cookie reads",
    "no write hook",
)
ALL_OFF = "all of the above off"
VARIANTS = (FLOOR, AUDIT, *PARTS, ALL_OFF)


def switch_off(part: str) -> None:
    """Replace what ``part`` runs with nothing, in this process only."""
    from privacy_audit.collect import recorder, visit
    from privacy_audit.consent import driver

    if part == "no consent engine":
        driver.engine = lambda: ("", False)  # type: ignore[assignment]
    elif part == "no consent driver":
        visit_page = visit.PageVisitor.visit

        async def without_driver(self: Any, *args: Any, **kwargs: Any) -> Any:
            kwargs["action"] = None
            return await visit_page(self, *args, **kwargs)

        visit.PageVisitor.visit = without_driver  # type: ignore[method-assign]
    elif part == "no Set-Cookie reads":
        recorder.PhaseRecorder._on_response = lambda self, response: None  # type: ignore[method-assign]
    elif part == "no write hook":

        async def watch(self: Any, context: Any) -> None:
            context.on("request", self._on_request)
            context.on("response", self._on_response)

        recorder.PhaseRecorder.watch = watch  # type: ignore[method-assign]


def run_variant(variant: str, base: str, pages: int) -> float:
    """CPU seconds of one variant, this process and its reaped descendants."""
    from privacy_audit.collect.collector import collect
    from privacy_audit.settings import AuditSettings

    parts = PARTS if variant == ALL_OFF else (variant,) if variant in PARTS else ()
    for part in parts:
        switch_off(part)
    adopt_orphans()
    cpu = _cpu_seconds()
    if variant == FLOOR:
        paths = ["/"] + [f"/page-{n}.html" for n in range(1, pages)]
        asyncio.run(_plain_playwright([base.rstrip("/") + p for p in paths], contexts=3))
    else:
        concurrency = 1 if "one tab per phase" in parts else 2
        settings = AuditSettings(url=base, pages=pages, budget=600, concurrency=concurrency)
        with tempfile.TemporaryDirectory() as out:
            collect(settings, Path(out))
    reap_descendants()
    return _cpu_seconds() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="pages of the site")
    parser.add_argument("--repeat", type=int, default=3, help="alternated runs of each")
    parser.add_argument("--run", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:  # one measurement, in its own process
        print(json.dumps(run_variant(args.run, args.url, args.pages)))
        return 0
    print(f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}; medians of {args.repeat}")
    cpu: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    with tempfile.TemporaryDirectory() as folder:
        generate_site(Path(folder), args.pages)
        with StaticServer(Path(folder)) as server:
            for _ in range(args.repeat):
                for variant in VARIANTS:
                    command = [sys.executable, __file__, "--run", variant]
                    command += ["--url", server.url(), "--pages", str(args.pages)]
                    done = subprocess.run(command, capture_output=True, text=True, check=True)
                    cpu[variant].append(float(done.stdout.strip().splitlines()[-1]))
    median = {variant: statistics.median(runs) for variant, runs in cpu.items()}
    print(f"{'CPU seconds, whole process tree':<32} {'median':>7} {'/ floor':>8} {'saves':>7}")
    for variant in VARIANTS:
        saved = "" if variant == FLOOR else f"{median[AUDIT] - median[variant]:7.2f}"
        print(
            f"{variant:<32} {median[variant]:7.2f} {median[variant] / median[FLOOR]:7.2f}x "
            f"{saved:>7}  runs {[round(r, 2) for r in cpu[variant]]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

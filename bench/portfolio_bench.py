"""Portfolio audits: sites per hour with 1, 2 and 4 shard processes, and peak memory by size.

A portfolio of small client sites on 127.0.0.1 (tests/portfolio/portfolio_sites.py: one
host name per client, ``*.test`` mapped to loopback) is audited with ``audit --all``:

- throughput: the same N sites audited by C processes at once, each ``--shard i/C`` (how
  one machine, or C machines, share a portfolio); sites per hour, and the ratio to C = 1
  measured in the same run (the baseline);
- peak memory: PSS (proportional set size: shared pages split between the processes that
  share them, so Chromium's processes are not counted many times) of every process of the
  run (the Python processes, Playwright drivers and Chromium trees), and of the Python
  ``audit --all`` processes alone (what would grow if a run kept something per site),
  sampled every 100 ms, for portfolios of two sizes audited one site after another; it
  must stay flat as the portfolio grows (a browser per site, nothing kept per site).

Each site audit is one page per phase (``--pages 1 --consent-wait 0 --settle 0.3``), so the
numbers measure the portfolio machinery and the crawler's fixed cost per site. Run:
``python bench/portfolio_bench.py [--sites 6] [--concurrency 1,2,4] [--memory-sites 12,60]``;
``--quick`` (4 sites; memory at 3 and 9 sites) takes a few minutes on two shared cores.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from privacy_audit.collect.proctree import pss_bytes, tree_pss_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' sites, as a package
from tests.portfolio.portfolio_sites import RESOLVE, PortfolioSites

AUDIT = ["--pages", "1", "--consent-wait", "0", "--settle", "0.3", "--timeout", "20"]
AUDIT += ["--resolve", RESOLVE, "--quiet", "--format", "json"]


def _tree_memory(roots: list[int]) -> tuple[int, int]:
    """PSS of ``roots`` and all their descendants, and of ``roots`` alone."""
    return tree_pss_bytes(roots), sum(pss_bytes(pid) for pid in roots)


def run_portfolio(sites: int, concurrency: int) -> tuple[float, int, int]:
    """Audit ``sites`` sites with ``concurrency`` shard processes.

    Returns the seconds, the peak PSS of the whole run and of the ``audit --all`` processes.
    """
    with PortfolioSites(sites) as portfolio, tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        portfolio.write_controllers(content)
        commands = []
        for index in range(1, concurrency + 1):
            shard = ["--shard", f"{index}/{concurrency}"] if concurrency > 1 else []
            out = Path(tmp) / f"audits-{index}"
            commands.append(
                [sys.executable, "-m", "privacy_pages.cli", "audit", "--all", str(content),
                 "--out", str(out), *AUDIT, *shard]
            )  # fmt: skip
        peak = own = 0
        started = time.perf_counter()
        processes = [
            subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for c in commands
        ]
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, own
            while not done.is_set():
                total, roots = _tree_memory([p.pid for p in processes])
                peak, own = max(peak, total), max(own, roots)
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        codes = [p.wait() for p in processes]
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        audited = sum(
            1
            for index in range(1, concurrency + 1)
            for folder in (Path(tmp) / f"audits-{index}").glob("*/LATEST")
        )
        if audited != sites:
            raise SystemExit(f"only {audited} of {sites} sites were audited: {codes}")
        return elapsed, peak, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6, help="sites for the throughput runs")
    parser.add_argument("--concurrency", default="1,2,4", help="shard processes at once")
    parser.add_argument("--memory-sites", default="12,60", help="portfolio sizes for memory")
    parser.add_argument(
        "--memory-concurrency", type=int, default=1, help="shard processes in the memory runs"
    )
    parser.add_argument("--quick", action="store_true", help="4 sites; memory at 3 and 9")
    args = parser.parse_args()
    if args.quick:
        args.sites, args.memory_sites = 4, "3,9"
    levels = [int(c) for c in args.concurrency.split(",")]
    print(f"throughput: {args.sites} sites, one page per phase, on {os.cpu_count()} cores")
    print(f"{'processes':>9} {'seconds':>8} {'sites/hour':>11} {'vs 1':>6} {'peak PSS':>10}")
    baseline = None
    for level in levels:
        seconds, peak, _own = run_portfolio(args.sites, level)
        rate = args.sites / seconds * 3600
        baseline = baseline or rate
        print(
            f"{level:>9} {seconds:>8.1f} {rate:>11.0f} {rate / baseline:>5.2f}x "
            f"{peak / 2**20:>8.0f} MiB"
        )
    sizes = [int(n) for n in args.memory_sites.split(",")]
    print(f"memory: {args.memory_concurrency} shard processes, portfolio sizes {sizes}")
    first = first_own = None
    for size in sizes:
        seconds, peak, own = run_portfolio(size, args.memory_concurrency)
        first, first_own = first or peak, first_own or own
        print(
            f"{size:>5} sites: peak PSS {peak / 2**20:>6.0f} MiB ({peak / first:.2f}x the "
            f"smallest); audit --all process {own / 2**20:.0f} MiB ({own / first_own:.2f}x); "
            f"{size / seconds * 3600:.0f} sites/hour"
        )


if __name__ == "__main__":
    main()

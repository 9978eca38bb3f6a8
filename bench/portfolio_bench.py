"""Portfolio audits: sites per hour with 1, 2 and 4 shard processes, and peak memory by size.

A portfolio of small client sites on 127.0.0.1 (tests/portfolio/portfolio_sites.py: one
host name per client, ``*.test`` mapped to loopback) is audited with ``audit --all``:

- throughput: the same N sites audited by C processes at once, each ``--shard i/C`` (how
  one machine, or C machines, share a portfolio); sites per hour, and the ratio to C = 1
  measured in the same run (the baseline);
- peak memory: RSS of every process of the run (the Python processes, Playwright drivers
  and Chromium trees), sampled every 100 ms, for portfolios of two sizes audited the same
  way; it must stay flat as the portfolio grows (a browser per site, nothing kept per site).

Each site audit is one page per phase (``--pages 1 --consent-wait 0 --settle 0.3``), so the
numbers measure the portfolio machinery and the crawler's fixed cost per site. Run:
``python bench/portfolio_bench.py [--sites 6] [--concurrency 1,2,4] [--memory-sites 12,60]``;
``--quick`` (4 sites; memory at 6 and 12) fits in about two minutes on two cores.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "portfolio"))

from portfolio_sites import RESOLVE, PortfolioSites  # noqa: E402

AUDIT = ["--pages", "1", "--consent-wait", "0", "--settle", "0.3", "--timeout", "20"]
AUDIT += ["--resolve", RESOLVE, "--quiet", "--format", "json"]


def _tree_rss(roots: list[int]) -> int:
    """Bytes of resident memory of ``roots`` and all their descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        rss[int(entry.name)] = int(statm[1]) * page
    total, queue, seen = 0, list(roots), set()
    while queue:
        pid = queue.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        queue.extend(children.get(pid, []))
    return total


def run_portfolio(sites: int, concurrency: int) -> tuple[float, int, list[int]]:
    """Audit ``sites`` sites with ``concurrency`` shard processes: (seconds, peak RSS, codes)."""
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
        peak = 0
        started = time.perf_counter()
        processes = [
            subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for c in commands
        ]
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss([p.pid for p in processes]))
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
        return elapsed, peak, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6, help="sites for the throughput runs")
    parser.add_argument("--concurrency", default="1,2,4", help="shard processes at once")
    parser.add_argument("--memory-sites", default="12,60", help="portfolio sizes for memory")
    parser.add_argument(
        "--memory-concurrency", type=int, default=4, help="shard processes in the memory runs"
    )
    parser.add_argument("--quick", action="store_true", help="4 sites; memory at 6 and 12")
    args = parser.parse_args()
    if args.quick:
        args.sites, args.memory_sites = 4, "6,12"
    levels = [int(c) for c in args.concurrency.split(",")]
    print(f"throughput: {args.sites} sites, one page per phase, on {os.cpu_count()} cores")
    print(f"{'processes':>9} {'seconds':>8} {'sites/hour':>11} {'vs 1':>6} {'peak RSS':>10}")
    baseline = None
    for level in levels:
        seconds, peak, _ = run_portfolio(args.sites, level)
        rate = args.sites / seconds * 3600
        baseline = baseline or rate
        print(
            f"{level:>9} {seconds:>8.1f} {rate:>11.0f} {rate / baseline:>5.2f}x "
            f"{peak / 2**20:>8.0f} MiB"
        )
    sizes = [int(n) for n in args.memory_sites.split(",")]
    print(f"memory: {args.memory_concurrency} shard processes, portfolio sizes {sizes}")
    first = None
    for size in sizes:
        seconds, peak, _ = run_portfolio(size, args.memory_concurrency)
        first = first or peak
        print(
            f"{size:>5} sites: peak RSS {peak / 2**20:>6.0f} MiB ({peak / first:.2f}x the "
            f"smallest), {size / seconds * 3600:.0f} sites/hour"
        )


if __name__ == "__main__":
    main()

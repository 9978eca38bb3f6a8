"""How fast the audit crawls, against the floor of plain HTTP fetches, and what memory it holds.

A generated static site of 10, 50 and 200 pages (each page links to the next few; a sitemap
lists them all) is served on 127.0.0.1. For each size:

- floor: the same pages fetched with urllib, ``--concurrency`` threads, no browser (median of 3);
- audit: `collect` with ``--concurrency`` pages in parallel, pages per second per phase;
- peak memory: RSS of this Python process plus every process under it (the Playwright
  driver and the whole Chromium tree), sampled every 100 ms.

Memory must stay flat as pages grow: each page is closed after its visit and each phase has
its own profile. Run: ``python bench/audit_bench.py [--sizes 10,50,200] [--concurrency 2]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from privacy_audit.collect import collect
from privacy_audit.serve import StaticServer
from privacy_audit.settings import AuditSettings

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page {n}</title>
<script>
  document.cookie = "visit_{mod}=1; max-age=86400; path=/";
  localStorage.setItem("seen", "{n}");
</script>
</head><body><h1>Page {n}</h1><p>{text}</p>
<nav>{links}</nav><footer><a href="/privacy.html">Privacy</a></footer>
<img alt="" src="http://localhost:{{{{PORT}}}}/pixel.gif" width="1" height="1">
</body></html>
"""
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def generate_site(root: Path, pages: int) -> list[str]:
    """``pages`` HTML pages (index.html is page 0) and a sitemap; returns their paths."""
    paths = ["/"] + [f"/page-{n}.html" for n in range(1, pages)]
    text = "Lorem ipsum dolor sit amet. " * 40
    for n, path in enumerate(paths):
        links = " ".join(f'<a href="{paths[(n + k) % pages]}">next {k}</a>' for k in range(1, 4))
        name = "index.html" if path == "/" else path.lstrip("/")
        (root / name).write_text(
            PAGE.format(n=n, mod=n % 5, text=text, links=links), encoding="utf-8"
        )
    (root / "privacy.html").write_text("<title>Privacy</title>", encoding="utf-8")
    (root / "pixel.gif").write_bytes(PIXEL)
    locs = "".join(f"<url><loc>{p}</loc></url>" for p in paths)
    (root / "sitemap.xml").write_text(f"<urlset>{locs}</urlset>", encoding="utf-8")
    return paths


def _tree_rss_bytes(root_pid: int) -> int:
    """RSS of ``root_pid`` and all its descendants, from /proc."""
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
        pid = int(entry.name)
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(pid)
        rss[pid] = int(statm[1]) * page
    total, queue = 0, [root_pid]
    while queue:
        pid = queue.pop()
        total += rss.get(pid, 0)
        queue.extend(children.get(pid, []))
    return total


class PeakMemory:
    """Samples the process tree's RSS in a thread; ``peak`` is the highest seen, in bytes."""

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss_bytes(os.getpid()))
            self._stop.wait(interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def floor_pages_per_second(base: str, paths: list[str], concurrency: int) -> float:
    def fetch(path: str) -> None:
        with urllib.request.urlopen(base.rstrip("/") + path, timeout=10) as response:
            response.read()

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(fetch, paths))
    return len(paths) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,200")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--settle",
        type=float,
        default=0.2,
        help="seconds waited after each load (the CLI's default is 1.5)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"concurrency {args.concurrency}, settle {args.settle} s, {os.cpu_count()} CPUs", flush=True
    )
    columns = [
        ("pages", 5),
        ("floor p/s", 9),
        ("before p/s", 10),
        ("reject p/s", 10),
        ("accept p/s", 10),
        ("median p/s", 10),
        ("floor/audit", 11),
        ("peak MB", 7),
        ("wall s", 6),
    ]
    header = " | ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            paths = generate_site(root, size)
            with StaticServer(root) as server:
                base = server.url()
                floor = statistics.median(
                    floor_pages_per_second(base, paths, args.concurrency) for _ in range(3)
                )
                settings = AuditSettings(
                    url=base,
                    pages=size,
                    timeout=20,
                    budget=900,
                    concurrency=args.concurrency,
                    settle=args.settle,
                    consent_wait=1.0,
                )
                started = time.perf_counter()
                with tempfile.TemporaryDirectory() as out, PeakMemory() as memory:
                    observations = collect(settings, Path(out))
                wall = time.perf_counter() - started
        per_phase = []
        for phase in observations.phases:
            loaded = [p for p in phase.pages if p.status == 200]
            assert len(loaded) >= size, f"{phase.phase}: {len(loaded)} of {size} pages loaded"
            per_phase.append(len(phase.pages) / ((phase.duration_ms or 1) / 1000))
        median = statistics.median(per_phase)
        rows.append((size, median, memory.peak))
        print(
            f"{size:>5} | {floor:>9.1f} | {per_phase[0]:>10.2f} | {per_phase[1]:>10.2f} | "
            f"{per_phase[2]:>10.2f} | {median:>10.2f} | {floor / median:>10.0f}x | "
            f"{memory.peak / 2**20:>7.0f} | {wall:>6.1f}",
            flush=True,
        )
    peaks = [peak for _, _, peak in rows]
    growth = peaks[-1] / peaks[0]
    print(f"peak memory, largest site / smallest: {growth:.2f}x (flat means close to 1)")
    return 0 if growth < 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())

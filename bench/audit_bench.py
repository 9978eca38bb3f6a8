"""The audit's three phases against a plain Playwright load of the same pages, in one run.

A generated site is served on 127.0.0.1 under two host names (``127.0.0.1`` first party,
``localhost`` a third party that receives a pixel and sets nothing); every page shows a
hand-written consent banner that autoconsent does not know (the slow path of the issue:
the text fallback must find "Tout refuser"). Measured in the same run, medians of
``--repeat``:

- baseline: a plain Playwright script that opens the same Chromium and loads each of the
  ``--pages`` pages once (``wait_until="load"``), nothing else;
- floor: the same script with three fresh contexts at once, each loading every page once:
  the least three phases can cost on this machine, whatever the audit does;
- audit: `collect` with its defaults, three phases (plus the close probe) over the same pages.

Reported: the audit's wall time against the baseline (goal: at most 1.5x) and against the
EDPS Website Evidence Collector's leanest single phase on the issue's four-page site
(10.7 s, issue 10; not runnable here: not on npm), pages per second, and the peak memory of
the whole process tree (Python, the Playwright driver, every Chromium process), sampled
every 100 ms (PSS), for ``--sizes`` (flat from 10 to 100 pages is the goal).

Run: ``python bench/audit_bench.py [--pages 4] [--repeat 3] [--sizes 10,100]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from privacy_audit.collect.browser import find_browser, launch_flags
from privacy_audit.collect.collector import collect
from privacy_audit.collect.proctree import tree_pss_bytes
from privacy_audit.collect.serve import StaticServer
from privacy_audit.settings import AuditSettings

WEC_LEANEST_SINGLE_PHASE_S = 10.7
"""Issue 10: EDPS Website Evidence Collector, leanest settings, one phase, median of 5."""

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Page {n}</title>
<script>
  document.cookie = "visit_{mod}=1; max-age=86400; path=/";
  localStorage.setItem("seen", "{n}");
</script>
</head><body><h1>Page {n}</h1><p>{text}</p>
<nav>{links}</nav><footer><a href="/privacy.html">Confidentialité</a></footer>
<img alt="" src="http://localhost:{{{{PORT}}}}/pixel.gif" width="1" height="1">
<div id="cookie-banner" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em">
  <p>Nous utilisons des cookies pour mesurer l'audience.</p>
  <button onclick="choose('none')">Tout refuser</button>
  <button onclick="choose('all')">Tout accepter</button>
</div>
<script>
  function choose(value) {{
    document.cookie = "choice=" + value + "; max-age=15552000; path=/";
    document.getElementById("cookie-banner").remove();
  }}
  if (document.cookie.indexOf("choice=") >= 0) document.getElementById("cookie-banner").remove();
</script>
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


class PeakMemory:
    """Samples the process tree's PSS in a thread; ``peak`` is the highest seen, in bytes."""

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_pss_bytes([os.getpid()]))
            self._stop.wait(interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


async def _plain_playwright(urls: list[str], contexts: int = 1) -> None:
    """The baseline (one context) or the floor (three): the same Chromium, one tab per
    context, each page loaded once in each."""
    from playwright.async_api import async_playwright

    async def load_all(browser: object) -> None:
        page = await browser.new_page()  # type: ignore[attr-defined]
        for url in urls:
            await page.goto(url, wait_until="load", timeout=30_000)

    async with async_playwright() as playwright:
        choice = find_browser(None, playwright_path=None)
        browser = await playwright.chromium.launch(
            executable_path=choice.path, headless=True, args=launch_flags({})
        )
        await asyncio.gather(*(load_all(browser) for _ in range(contexts)))
        await browser.close()


def _cpu_seconds() -> float:
    """CPU time of this process and of its reaped children (the driver, every Chromium):
    steadier than wall time on a shared machine."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def time_baseline(urls: list[str], contexts: int = 1) -> tuple[float, float]:
    """Wall and CPU seconds of the plain Playwright script (``contexts`` at once)."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    asyncio.run(_plain_playwright(urls, contexts))
    return time.perf_counter() - started, _cpu_seconds() - cpu


def time_audit(base: str, pages: int) -> tuple[float, float, int, object]:
    """Wall and CPU seconds of `collect` with its defaults, peak tree memory, observations."""
    settings = AuditSettings(url=base, pages=pages, budget=600)
    started, cpu = time.perf_counter(), _cpu_seconds()
    with tempfile.TemporaryDirectory() as out, PeakMemory() as memory:
        observations = collect(settings, Path(out))
    return time.perf_counter() - started, _cpu_seconds() - cpu, memory.peak, observations


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="pages of the speed comparison")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10,100", help="pages of the memory runs")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs; medians of {args.repeat}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = generate_site(root, max(args.pages, *(int(s) for s in args.sizes.split(","))))
        with StaticServer(root) as server:
            base = server.url()
            urls = [base.rstrip("/") + p for p in paths[: args.pages]]
            baseline, floor, audit = [], [], []
            for _ in range(args.repeat):  # interleaved: all see the same machine load
                baseline.append(time_baseline(urls))
                floor.append(time_baseline(urls, contexts=3))
                audit.append(time_audit(base, args.pages)[:2])
            base_s, base_cpu = _medians(baseline)
            floor_s, floor_cpu = _medians(floor)
            audit_s, audit_cpu = _medians(audit)
            for label, runs, wall, cpu in (
                (f"plain Playwright, {args.pages} pages once", baseline, base_s, base_cpu),
                (f"floor, 3 contexts x {args.pages} pages", floor, floor_s, floor_cpu),
                (f"audit, 3 phases over {args.pages} pages", audit, audit_s, audit_cpu),
            ):
                print(
                    f"{label:<36} {wall:6.2f} s wall, {cpu:6.2f} s CPU  "
                    f"{[round(w, 2) for w, _ in runs]}"
                )
            print(
                f"audit / plain Playwright: {audit_s / base_s:.2f}x wall, "
                f"{audit_cpu / base_cpu:.2f}x CPU (goal <= 1.5)"
            )
            print(
                f"floor / plain Playwright: {floor_s / base_s:.2f}x wall, "
                f"{floor_cpu / base_cpu:.2f}x CPU (three phases' page loads alone)"
            )
            print(
                f"audit / floor: {audit_s / floor_s:.2f}x wall, "
                f"{audit_cpu / floor_cpu:.2f}x CPU (what the audit adds to the page loads)"
            )
            print(
                f"audit / WEC leanest single phase ({WEC_LEANEST_SINGLE_PHASE_S} s, issue 10, "
                f"another machine): {audit_s / WEC_LEANEST_SINGLE_PHASE_S:.2f} (goal <= 1.0)"
            )
            peaks = []
            for size in (int(s) for s in args.sizes.split(",")):
                wall, _, peak, observations = time_audit(base, size)
                visits = sum(len(p.pages) for p in observations.phases)  # type: ignore[attr-defined]
                peaks.append(peak)
                print(
                    f"{size:>4} pages: {wall:6.1f} s, {visits / wall:5.2f} page visits/s "
                    f"(3 phases), peak tree memory {peak / 2**20:6.0f} MiB",
                    flush=True,
                )
    growth = peaks[-1] / peaks[0]
    print(f"peak memory, largest / smallest: {growth:.2f}x (flat means close to 1)")
    return 0 if audit_s / base_s <= 1.5 and growth < 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())

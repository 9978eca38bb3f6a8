"""The audit's three phases against a plain Playwright load of the same pages, in one run.

A generated site is served on 127.0.0.1 under two host names (``127.0.0.1`` first party,
``localhost`` a third party that receives a pixel and sets nothing); every page shows a
hand-written consent banner that autoconsent does not know (the text fallback must find
"Tout refuser"). Two sites, measured one after the other:

- light: text, the banner and one third-party pixel a page (three requests): what the
  audit adds to each page weighs most here;
- typical: the same pages with the subresources of a median web page (HTTP Archive's Web
  Almanac 2024: about 70 requests a page, over a third of them to third parties): 8
  stylesheets, 22 small scripts and 30 images a page (a third of each from the third
  party, the site-wide files shared by every page as a site's are), 63 requests a page.
  The audit reads every response's cookie lines and counts every third-party request:
  what it adds per request weighs here.

Three measurements of each site in the same run, alternated ``--repeat`` times so that all
see the same machine load, medians reported:

- one-context floor: a plain Playwright script, the same Chromium with the same flags, that
  loads each of the ``--pages`` pages once (``wait_until="load"``), nothing else;
- three-phase floor: the same script with three fresh contexts at once, each loading every
  page once: the least three phases can cost on this machine, whatever the audit does;
- audit: `collect` with its defaults, three phases (plus the close probe) over the same pages.

The floors start Chromium exactly as the audit does (`SharedBrowser`: the same binary, the
same flags, the same regular profile, attached over CDP), so that no flag of one side is
missing on the other. Every ratio is two measurements of this run, never a constant from
another day or machine. CPU is the whole process tree's: this process, the Playwright
driver and every Chromium process. Chromium's renderers are children of its zygote, which
nobody waits for once the browser has gone: their CPU never reached this process's
``os.times()`` (it left out most of the pages' own work, on both sides). So this process
adopts its orphaned descendants (``PR_SET_CHILD_SUBREAPER``) and reaps them all before it
reads its children's CPU. Memory is the tree's peak PSS sampled every 100 ms. Goals: the
audit's CPU and peak memory within 1.3x of the three-phase floor. Pages per second and the
one-context floor are reported beside them.

Run: ``python bench/audit_bench.py [--pages 4] [--repeat 3] [--site light|typical|both]``
(about a minute for both); quote it with ``uptime``. Exit 0 when every site measured meets
both goals.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import itertools
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import final

from privacy_audit.collect.browser import SharedBrowser, find_browser
from privacy_audit.collect.collector import collect
from privacy_audit.collect.proctree import tree_pss_bytes
from privacy_audit.collect.serve import StaticServer
from privacy_audit.settings import AuditSettings, Timeouts

GOAL = 1.3
"""The audit's CPU and memory at most this many times the three-phase floor's."""

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Page {n}</title>
<script>
  document.cookie = "visit_{mod}=1; max-age=86400; path=/";
  localStorage.setItem("seen", "{n}");
</script>
{head}</head><body><h1>Page {n}</h1><p>{text}</p>{body}
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


SITES = ("light", "typical")
THIRD_PARTY = "http://localhost:{{PORT}}"
"""The third party's origin in a served file (`StaticServer` writes its port in)."""
TYPICAL = {"css": 8, "js": 22, "img": 30}
"""Subresources of each typical page, a third of each from the third party."""


def _subresources(n: int) -> tuple[str, str]:
    """(head, body) of typical page ``n``: its stylesheets and scripts in the head, its
    images in the body. Stylesheets, scripts and two thirds of the images are the site's
    (the same on every page); the other images are the page's own."""

    def origin(i: int, count: int) -> str:
        return THIRD_PARTY if i >= count - count // 3 else ""

    head = "".join(
        f'<link rel="stylesheet" href="{origin(i, TYPICAL["css"])}/assets/s{i}.css">'
        for i in range(TYPICAL["css"])
    ) + "".join(
        f'<script src="{origin(i, TYPICAL["js"])}/assets/a{i}.js"></script>'
        for i in range(TYPICAL["js"])
    )
    shared = TYPICAL["img"] * 2 // 3
    body = "".join(
        f'<img alt="" width="8" height="8" src="{origin(i, TYPICAL["img"])}/assets/'
        + (f"i{i}.gif" if i < shared else f"p{n}-{i}.gif")
        + '">'
        for i in range(TYPICAL["img"])
    )
    return head, body


def generate_site(root: Path, pages: int, site: str = "light") -> list[str]:
    """``pages`` HTML pages (index.html is page 0) and a sitemap, ``site`` light or typical
    (`SITES`); returns their paths."""
    paths = ["/"] + [f"/page-{n}.html" for n in range(1, pages)]
    text = "Lorem ipsum dolor sit amet. " * 40
    for n, path in enumerate(paths):
        links = " ".join(f'<a href="{paths[(n + k) % pages]}">next {k}</a>' for k in range(1, 4))
        name = "index.html" if path == "/" else path.lstrip("/")
        head, body = _subresources(n) if site == "typical" else ("", "")
        (root / name).write_text(
            PAGE.format(n=n, mod=n % 5, text=text, links=links, head=head, body=body),
            encoding="utf-8",
        )
    if site == "typical":
        _write_assets(root / "assets", len(paths))
    (root / "privacy.html").write_text("<title>Privacy</title>", encoding="utf-8")
    (root / "pixel.gif").write_bytes(PIXEL)
    locs = "".join(f"<url><loc>{p}</loc></url>" for p in paths)
    (root / "sitemap.xml").write_text(f"<urlset>{locs}</urlset>", encoding="utf-8")
    return paths


def _write_assets(assets: Path, pages: int) -> None:
    """The typical site's stylesheets, scripts and images: shared, and each page's own."""
    assets.mkdir()
    for n, i in itertools.product(range(pages), range(TYPICAL["img"])):
        (assets / f"p{n}-{i}.gif").write_bytes(PIXEL)
    for i in range(TYPICAL["css"]):
        (assets / f"s{i}.css").write_text(f".c{i} {{ margin: {i}px; }}\n", encoding="utf-8")
    for i in range(TYPICAL["js"]):
        script = f"window.loaded = (window.loaded || 0) + 1; window.f{i} = () => {i};\n"
        (assets / f"a{i}.js").write_text(script, encoding="utf-8")
    for i in range(TYPICAL["img"]):
        (assets / f"i{i}.gif").write_bytes(PIXEL)


@final
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
    """The baseline (one context) or the floor (three): the audit's Chromium, started as the
    audit starts it, one tab per context, each page loaded once in each."""
    from playwright.async_api import async_playwright

    async def load_all(browser: object) -> None:
        page = await browser.new_page()  # type: ignore[attr-defined]
        for url in urls:
            await page.goto(url, wait_until="load", timeout=30_000)

    async with async_playwright() as playwright:
        choice = find_browser(None, playwright_path=None)
        async with SharedBrowser(playwright, choice, resolve={}, timeouts=Timeouts()) as browser:
            await asyncio.gather(*(load_all(browser) for _ in range(contexts)))


PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Make this process the reaper of its orphaned descendants (Linux), so that the CPU of
    Chromium's renderers, whose zygote nobody waits for, reaches ``os.times()``."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) refused")


def begin(repeat: int) -> None:
    """Adopt the run's orphans (`adopt_orphans`) and say the machine and its load."""
    adopt_orphans()
    print(f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}; medians of {repeat}")


def reap_descendants(timeout: float = 30.0) -> None:
    """Wait for every descendant to exit and reap it: their CPU is then this process's
    children's. Only once the measured run is over (Playwright and asyncio have waited for
    their own children by then)."""
    end = time.monotonic() + timeout
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return  # no child left
        if time.monotonic() > end:
            raise RuntimeError(f"processes still running {timeout:.0f} s after the run")
        time.sleep(0.01)


def _cpu_seconds() -> float:
    """CPU time of this process and of its reaped descendants (the driver, every Chromium
    process): steadier than wall time on a shared machine."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def time_baseline(urls: list[str], contexts: int = 1) -> tuple[float, float, int]:
    """Wall and CPU seconds, peak tree memory, of the plain Playwright script (``contexts``
    at once)."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    with PeakMemory() as memory:
        asyncio.run(_plain_playwright(urls, contexts))
    wall = time.perf_counter() - started
    reap_descendants()
    return wall, _cpu_seconds() - cpu, memory.peak


def time_audit(base: str, pages: int) -> tuple[float, float, int, object]:
    """Wall and CPU seconds of `collect` with its defaults, peak tree memory, observations."""
    settings = AuditSettings(url=base, pages=pages, budget=600)
    started, cpu = time.perf_counter(), _cpu_seconds()
    with tempfile.TemporaryDirectory() as out, PeakMemory() as memory:
        observations = collect(settings, Path(out))
    wall = time.perf_counter() - started
    reap_descendants()
    return wall, _cpu_seconds() - cpu, memory.peak, observations


def measure(site: str, pages: int, repeat: int) -> bool:
    """Print the floors and the audit of ``site`` (`SITES`); whether the audit meets both goals."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = generate_site(root, pages, site)
        with StaticServer(root) as server:
            base = server.url()
            urls = [base.rstrip("/") + p for p in paths]
            runs: dict[str, list[tuple[float, float, int]]] = {"one": [], "three": [], "audit": []}
            visits = []
            for _ in range(repeat):  # alternated: all see the same machine load
                runs["one"].append(time_baseline(urls))
                runs["three"].append(time_baseline(urls, contexts=3))
                wall, cpu, peak, observations = time_audit(base, pages)
                runs["audit"].append((wall, cpu, peak))
                visits.append(sum(len(p.pages) for p in observations.phases))  # type: ignore[attr-defined]
    med = {
        name: tuple(statistics.median(r[i] for r in rows) for i in range(3))
        for name, rows in runs.items()
    }
    labels = {
        "one": f"one-context floor, {pages} pages once",
        "three": f"three-phase floor, 3 contexts x {pages} pages",
        "audit": f"audit, 3 phases over {pages} pages",
    }
    requests = 3 + (sum(TYPICAL.values()) if site == "typical" else 0)
    print(f"{site} site ({requests} requests a page)")
    for name, (wall, cpu, peak) in med.items():
        print(
            f"  {labels[name]:<40} {wall:6.2f} s wall  {cpu:6.2f} s CPU  "
            f"{peak / 2**20:6.0f} MiB PSS  CPU runs {[round(r[1], 2) for r in runs[name]]}"
        )
    cpu_ratio = med["audit"][1] / med["three"][1]
    memory_ratio = med["audit"][2] / med["three"][2]
    print(
        f"  audit / three-phase floor: {cpu_ratio:.2f}x CPU (goal <= {GOAL}), "
        f"{memory_ratio:.2f}x peak memory (goal <= {GOAL}), "
        f"{med['audit'][0] / med['three'][0]:.2f}x wall"
    )
    print(f"  three-phase floor / one-context floor: {med['three'][1] / med['one'][1]:.2f}x CPU")
    print(
        f"  audit: {statistics.median(visits) / med['audit'][0]:.2f} page visits/s "
        f"({statistics.median(visits):.0f} visits); floors: "
        f"{3 * pages / med['three'][0]:.2f} and {pages / med['one'][0]:.2f} pages/s"
    )
    return cpu_ratio <= GOAL and memory_ratio <= GOAL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="pages of the site")
    parser.add_argument("--repeat", type=int, default=3, help="alternated runs of each")
    parser.add_argument(
        "--site", choices=[*SITES, "both"], default="both", help="which site (default: both)"
    )
    args = parser.parse_args(argv)
    begin(args.repeat)
    sites = SITES if args.site == "both" else (args.site,)
    met = [measure(site, args.pages, args.repeat) for site in sites]
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())

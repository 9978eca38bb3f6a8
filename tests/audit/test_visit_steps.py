"""The steps of a page visit (`collect.steps`), each run alone on a real page in a real
Chromium, served on 127.0.0.1: what each one records, and how a failure is recorded."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect import steps
from privacy_audit.collect.recorder import PhaseRecorder
from privacy_audit.observations import PageVisit
from privacy_audit.settings import Timeouts

from ..conftest import patience, slowdown
from ..loopback import LoopbackServer, Reply, Request, refusing_socket
from .live_tab import run_in_tab

pytestmark = pytest.mark.browser


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><a href="/products/">Products</a> <a href="/legal/privacy/">Privacy policy</a>
<form action="/newsletter" method="post"><input type="email" name="email"></form>
<form action="/search"><button>Go</button></form>
<script>document.cookie = "visited=1; max-age=86400; path=/";</script></body></html>"""
SITEMAP = """<?xml version="1.0"?><urlset><url><loc>/about/</loc></url>
<url><loc>/contact/?a=1&amp;b=2</loc></url></urlset>"""


def _site(tmp_path: Path) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(SITEMAP, encoding="utf-8")
    return tmp_path


def test_load_then_read_the_page(tmp_path: Path) -> None:
    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        outcome = steps.VisitOutcome(visit=_visit(url))
        response = await steps.load(tab, outcome.visit, allowed=30)
        await steps.read_page(tab.page, outcome, recorder, discover=True, storage=3.0)
        return response is not None, outcome

    (loaded, outcome), url = run_in_tab(_site(tmp_path), step)
    visit = outcome.visit
    assert loaded and (visit.status, visit.final_url, visit.error) == (200, url, None)
    assert visit.load_ms is not None and visit.load_ms > 0
    assert [link["text"] for link in outcome.links] == ["Products", "Privacy policy"]
    assert visit.links_privacy_page is True
    # The form asking for an e-mail address posts over http; the search form asks nothing.
    assert visit.insecure_forms == [f"{url}newsletter"]
    assert outcome.sitemap == [f"{url}about/", f"{url}contact/?a=1&b=2"]


def test_a_failed_load_is_recorded_on_the_visit_and_raised(tmp_path: Path) -> None:
    closed = refusing_socket()
    port = closed.getsockname()[1]

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        visit = _visit(f"http://127.0.0.1:{port}/")
        with pytest.raises(Exception, match="ERR_CONNECTION_REFUSED") as raised:
            await steps.load(tab, visit, allowed=30)
        return visit, raised.value

    with closed:
        (visit, error), _ = run_in_tab(_site(tmp_path), step)
    assert (visit.status, visit.error_kind) == (None, "unreachable")
    assert visit.error == steps.one_line(error) and "\n" not in visit.error
    banner = steps.not_examined("reject", visit)
    assert (banner.detected, banner.action, banner.succeeded) == (False, "reject", False)
    assert visit.error in banner.detail


def test_cookies_and_screenshot_after_the_visit(tmp_path: Path) -> None:
    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        outcome = steps.VisitOutcome(visit=_visit(url))
        await steps.load(tab, outcome.visit, allowed=30)
        notes: list[str] = []
        await steps.read_cookies(recorder, context, url, timeout=10, notes=notes)
        await steps.screenshot(tab.page, outcome, tmp_path / "report", "shots/page.png", 10)
        return outcome, notes, dict(recorder.cookies)

    (outcome, notes, cookies), url = run_in_tab(_site(tmp_path / "site"), step)
    assert notes == [] and outcome.notes == []
    (cookie,) = cookies.values()
    assert (cookie.name, cookie.page_url, cookie.session) == ("visited", url, False)
    assert cookie.lifetime_seconds == 86400
    assert outcome.visit.screenshot == "shots/page.png"
    assert (tmp_path / "report" / "shots" / "page.png").read_bytes()[:4] == b"\x89PNG"


def test_a_read_that_fails_is_a_note_not_a_fault(tmp_path: Path) -> None:
    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        outcome = steps.VisitOutcome(visit=_visit(url))
        await steps.load(tab, outcome.visit, allowed=30)
        await context.close()  # the profile is gone: nothing can be read any more
        notes: list[str] = []
        await steps.read_cookies(recorder, context, url, timeout=10, notes=notes)
        await steps.screenshot(tab.page, outcome, tmp_path / "report", "page.png", 10)
        return outcome, notes

    (outcome, notes), url = run_in_tab(_site(tmp_path / "site"), step)
    assert len(notes) == 1 and notes[0].startswith(f"{url}: cookies not read: ")
    assert len(outcome.notes) == 1
    assert outcome.notes[0].startswith(f"{url}: screenshot not taken: ")
    assert outcome.visit.screenshot is None and outcome.visit.error is None


def _visit(url: str) -> PageVisit:
    return PageVisit(url=url, final_url=None, status=None, title=None, load_ms=None)


LAZY_FRAME = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Article</title>
</head><body><p>Un long article.</p><div style="height:6000px"></div>
<iframe title="Vidéo" loading="lazy" src="/embed.html" width="560" height="315"></iframe>
<script>localStorage.setItem("lu", "1");</script></body></html>"""


def test_a_lazy_frame_out_of_view_is_skipped_not_waited_for(tmp_path: Path) -> None:
    """An iframe with loading="lazy" far below (WordPress's embeds) holds no document until
    the visitor scrolls near it: the storage read, the banner scan and the withdrawal check
    pass it by at once instead of waiting for it until the page's time is up."""
    from privacy_audit.consent.controls import BannerControls
    from privacy_audit.frames import loaded_frames

    (tmp_path / "index.html").write_text(LAZY_FRAME, encoding="utf-8")
    (tmp_path / "embed.html").write_text("<title>Lecteur</title><p>vidéo</p>", encoding="utf-8")

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        await steps.load(tab, _visit(url), allowed=30)
        frames = len(tab.page.frames)
        controls = BannerControls(tab.page, Timeouts(), [])
        started = time.monotonic()
        await recorder.snapshot_storage(tab.page, url, timeout=20)
        found = await controls.scan()
        withdraw = await controls.withdraw_option_found()
        took = time.monotonic() - started
        return frames, len(loaded_frames(tab.page)), found, withdraw, took, recorder.notes

    (frames, loaded, found, withdraw, took, notes), _ = run_in_tab(tmp_path, step)
    assert (frames, loaded) == (2, 1)  # the lazy frame is there, without a document
    assert found == [] and withdraw is False
    assert took < 5, f"the reads waited {took:.1f} s for the frame"
    assert notes == []


TIMERS = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Tags</title></head>
<body><p>Accueil</p><script>
setTimeout(function () { document.cookie = "once=1; path=/"; }, 600);
var poll = setInterval(function () { document.cookie = "tick=1; path=/"; clearInterval(poll); }, 1500);
setTimeout(function () { setTimeout(function () { document.cookie = "deferred=1; path=/"; }, 1500); }, 0);
</script></body></html>"""
POLLS = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Carousel</title></head>
<body><p>Accueil</p><script>
setInterval(function () { document.title = "slide " + Date.now(); }, 300);
(function check() { setTimeout(check, 300); })();
</script></body></html>"""


@pytest.mark.parametrize("polls", [False, True], ids=["late tags", "polls"])
def test_the_settle_waits_for_the_pages_short_timers_not_for_its_polls(
    tmp_path: Path, polls: bool
) -> None:
    """A tag's timer, an interval's first tick and a timer set from a tag manager's deferred
    call (``setTimeout(..., 0)``) are waited for; a carousel's interval and a poll that
    re-arms its timer keep nothing busy past their first turn."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "index.html").write_text(POLLS if polls else TIMERS, encoding="utf-8")

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        await steps.load(tab, _visit(url), allowed=30)
        start = time.monotonic()
        await tab.network.settle(0.3, 4.0)
        waited = time.monotonic() - start
        return waited, sorted(c["name"] for c in await context.cookies())

    (waited, cookies), _ = run_in_tab(tmp_path, step)
    if polls:
        assert waited < 3.0, waited  # the polls' first turn, not the settle's 4 s
    else:
        assert cookies == ["deferred", "once", "tick"], cookies


WP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/wp-sitemap-posts-page-1.xml</loc></sitemap>
<sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap></sitemapindex>"""
WP_PAGES = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/a-propos/</loc></url><url><loc>/contact/</loc></url></urlset>"""


@pytest.mark.parametrize("named_by", ["wordpress", "robots.txt"])
def test_the_sitemap_is_found_where_sites_put_it_and_its_index_followed(
    tmp_path: Path, named_by: str
) -> None:
    """No /sitemap.xml: WordPress's /wp-sitemap.xml, or the one robots.txt names; an index
    is followed to the sitemaps of the site's own origin."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    index = "wp-sitemap.xml" if named_by == "wordpress" else "plan/index.xml"
    (site / index).parent.mkdir(exist_ok=True)
    (site / index).write_text(WP_INDEX, encoding="utf-8")
    (site / "wp-sitemap-posts-page-1.xml").write_text(WP_PAGES, encoding="utf-8")
    if named_by == "robots.txt":
        (site / "robots.txt").write_text("User-agent: *\nSitemap: /plan/index.xml\n", "utf-8")

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        outcome = steps.VisitOutcome(visit=_visit(url))
        await steps.load(tab, outcome.visit, allowed=30)
        await steps.read_page(tab.page, outcome, recorder, discover=True)
        return outcome.sitemap

    sitemap, url = run_in_tab(site, step)
    assert f"{url}a-propos/" in sitemap and f"{url}contact/" in sitemap, sitemap


def test_looking_for_a_sitemap_the_site_lacks_leaves_no_request_open(tmp_path: Path) -> None:
    """No sitemap: the site answers such addresses with a page (a CMS's catch-all, its 404
    page). The audit reads none of those pages, and a body left unread kept the request
    open in Chromium: the tab never looked quiet and each landing visit waited its longest."""
    site = tmp_path / "site"
    (site / "wp-sitemap.xml").mkdir(parents=True)  # served as the page itself, status 200
    for page in (site / "index.html", site / "wp-sitemap.xml" / "index.html"):
        page.write_text(PAGE, encoding="utf-8")

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        outcome = steps.VisitOutcome(visit=_visit(url))
        await steps.load(tab, outcome.visit, allowed=30)
        await steps.read_page(tab.page, outcome, recorder, discover=True)
        started = time.monotonic()
        await tab.network.settle(0.3, longest=5 * slowdown())
        return outcome.sitemap, tab.network.in_flight, time.monotonic() - started

    (sitemap, in_flight, settled), _ = run_in_tab(site, step)
    assert sitemap == [] and in_flight == 0
    assert settled < 2 * slowdown(), settled


def test_a_tab_left_stuck_loading_is_given_up_at_once_not_cleaned(tmp_path: Path) -> None:
    """The landing page's answer never comes within its time: the tab is closed, so the
    consent scripts are not removed from it first (each removal waited for a document that
    never came, 5 s apiece: 15 s a phase). A tab that browses on is cleaned within one
    ``close`` wait, not one per script."""
    import threading

    from privacy_audit.consent.driver import ConsentDriver

    release = threading.Event()

    def respond(request: Request) -> Reply:
        if request.path == "/slow":
            release.wait(30)
        return Reply(200, PAGE.encode())

    timeouts = Timeouts(close=1.0)

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        outcome = steps.VisitOutcome(visit=_visit(server.url("/slow")))
        driver = ConsentDriver(tab.page, timeouts, activity=tab.network)
        await driver.install()
        with pytest.raises(Exception, match="Timeout"):
            await steps.load(tab, outcome.visit, allowed=1)
        started = time.monotonic()
        given_up = await driver.close(reuse=False)
        took = time.monotonic() - started
        stuck = ConsentDriver(await context.new_page(), timeouts)
        await stuck.install()
        navigation = asyncio.ensure_future(stuck.page.goto(server.url("/slow")))
        await asyncio.sleep(0.5)
        started = time.monotonic()
        cleaned = await stuck.close()
        bounded = time.monotonic() - started
        release.set()
        await asyncio.gather(navigation, return_exceptions=True)
        return given_up, took, cleaned, bounded

    with LoopbackServer(respond) as server:
        (given_up, took, cleaned, bounded), _ = run_in_tab(_site(tmp_path), step)
    assert given_up is False and took < 0.5, took
    assert bounded < 2 * slowdown(), (cleaned, bounded)


DATABASE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>App</title></head>
<body><script>
function openIt(then) { var r = indexedDB.open("app-db", 1);
  r.onupgradeneeded = function () { r.result.createObjectStore("s"); };
  r.onsuccess = function () { r.result.close(); if (then) then(); }; }
openIt(function () { openIt(function () { document.title = "opened twice"; }); });
</script></body></html>"""


def test_an_indexeddb_database_is_seen_and_its_creation_alone_is_a_write(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "index.html").write_text(DATABASE, encoding="utf-8")

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        recorder.visiting(tab.page, url)
        await steps.load(tab, _visit(url), allowed=30)
        await tab.page.wait_for_function("document.title === 'opened twice'")
        await recorder.snapshot_storage(tab.page, url, 3.0)
        _, storage, _ = recorder.finish()
        return tab.network.writes, [(s.kind, s.key, s.page_url) for s in storage]

    (writes, storage), url = run_in_tab(tmp_path, step)
    assert storage == [("indexed_db", "app-db", url)]
    assert writes == 1  # created once, opened twice


WRITES_AS_PROPERTIES = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{name}</title><script>localStorage.both = "1"; localStorage.{name}_only = "1";</script>
</head><body><h1>{name}</h1></body></html>"""


HEARS_LATE = """() => { window.heardLate = new Promise(done => addEventListener('storage',
  event => event.key === 'late_only' && done(true))); }"""


def test_a_key_written_as_a_property_goes_to_the_page_that_wrote_it(tmp_path: Path) -> None:
    """``localStorage.x = ...`` calls nothing a hook hears. Two tabs of a phase: the first
    page, still open when the second writes its own key, must not take it (the browser's
    ``storage`` event tells it another document created it), and a key both write goes to
    the one that created it. Before, the first tab's read credited it with all three."""
    tmp_path.mkdir(exist_ok=True)
    for name in ("early", "late"):
        page = WRITES_AS_PROPERTIES.format(name=name)
        (tmp_path / f"{name}.html").write_text(page, encoding="utf-8")

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        early, late = url + "early.html", url + "late.html"
        recorder.visiting(tab.page, early)
        await steps.load(tab, _visit(early), allowed=30)
        # The first page hears the second's write as a visitor's page would (the hook's
        # listener, registered first, has heard it by then): the test does not race it.
        await tab.page.evaluate(HEARS_LATE)
        other = await steps.open_tab(context, recorder, late)
        try:
            recorder.visiting(other.page, late)
            await steps.load(other, _visit(late), allowed=30)
            await asyncio.wait_for(tab.page.evaluate("() => window.heardLate"), patience(10))
            await recorder.snapshot_storage(tab.page, early, 3.0)  # early's tab reads first
            await recorder.snapshot_storage(other.page, late, 3.0)
        finally:
            await steps.close_tab(other.page, recorder, [])
        _, storage, _ = recorder.finish()
        return sorted((s.key, s.page_url.rsplit("/", 1)[1]) for s in storage)

    storage, _ = run_in_tab(tmp_path, step)
    assert storage == [
        ("both", "early.html"),
        ("early_only", "early.html"),
        ("late_only", "late.html"),
    ]


FRAMED = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ad</title></head>
<body><h1>News</h1><iframe title="ad" src="{src}"></iframe></body></html>"""


def test_a_site_with_frames_of_other_sites_gets_a_window_per_tab(tmp_path: Path) -> None:
    """Behind the first tab, a tab's first page with a frame of another site is neither
    drawn nor read down for seconds (the `crossframe` accuracy site lost what loads when
    scrolled to): such a page is told apart, and a tab asked for with ``own_window`` opens
    in a window of its own; otherwise tabs share the first one's window, which costs less."""
    (tmp_path / "index.html").write_text(
        FRAMED.format(src="http://localhost:{{PORT}}/frame.html"), encoding="utf-8"
    )
    (tmp_path / "same.html").write_text(FRAMED.format(src="/frame.html"), encoding="utf-8")
    (tmp_path / "frame.html").write_text("<p>ad</p>", encoding="utf-8")

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        await tab.page.goto(url + "same.html")
        same_site = steps.frames_elsewhere(tab.page)
        await tab.page.goto(url)  # index.html: its frame on localhost, another site
        other_site = steps.frames_elsewhere(tab.page)
        windows = []
        for own_window in (False, True):
            second = await steps.open_tab(context, recorder, url, own_window=own_window)
            windows.append(await _window(context, second.page) == await _window(context, tab.page))
            await steps.close_tab(second.page, recorder, [])
        return same_site, other_site, windows

    (same_site, other_site, shares_window), _ = run_in_tab(tmp_path, step)
    assert (same_site, other_site) == (False, True)
    assert shares_window == [True, False]


async def _window(context: Any, page: Any) -> int:
    session = await context.new_cdp_session(page)
    target = (await session.send("Target.getTargetInfo"))["targetInfo"]["targetId"]
    window = await session.send("Browser.getWindowForTarget", {"targetId": target})
    await session.detach()
    return int(window["windowId"])


BURST = """for (let i = 0; i < 30; i++) {
  document.cookie = 'c' + i + '=1; path=/'; localStorage.setItem('k' + i, '1');
}
const frame = document.createElement('iframe');
frame.src = '/gone.html';
document.body.appendChild(frame);"""
GONE = "document.cookie = 'gone=1; path=/'; window.frameElement.remove();"


def test_a_burst_of_writes_is_one_report_and_a_frame_removed_at_once_still_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write hook sends the reports of one script's turn together: 30 cookies and 30
    storage keys are one binding call (each costs about 5 ms of CPU across the browser, the
    driver and Python), not 60. A frame that writes a cookie and is removed in the same turn
    still reports it: its reports go as its document goes away."""
    tmp_path.mkdir(exist_ok=True)
    page = '<!doctype html><html lang="en"><head><title>Burst</title></head><body>{}</body></html>'
    (tmp_path / "index.html").write_text(page.format('<script src="/burst.js"></script>'), "utf-8")
    (tmp_path / "burst.js").write_text(BURST, encoding="utf-8")
    (tmp_path / "gone.html").write_text(page.format('<script src="/gone.js"></script>'), "utf-8")
    (tmp_path / "gone.js").write_text(GONE, encoding="utf-8")
    calls: list[int] = []
    on_write = PhaseRecorder._on_write

    def counted(self: PhaseRecorder, source: Any, reports: Any) -> None:
        calls.append(len(reports) if isinstance(reports, list) else 1)
        on_write(self, source, reports)

    monkeypatch.setattr(PhaseRecorder, "_on_write", counted)

    async def step(context: Any, recorder: PhaseRecorder, tab: steps.Tab, url: str) -> Any:
        recorder.visiting(tab.page, url)
        await steps.load(tab, _visit(url), allowed=30)
        await recorder.snapshot_cookies(context, url)
        await recorder.snapshot_storage(tab.page, url, 3.0)
        cookies, storage, _ = recorder.finish()
        return {c.name: c.set_by_url for c in cookies}, {s.key for s in storage}

    (cookies, storage), url = run_in_tab(tmp_path, step)
    assert calls[0] == 60, calls  # the burst: one call
    assert len(calls) == 2, calls  # and the frame's cookie, reported as it went away
    assert cookies["gone"] == f"{url}gone.js"  # its script named: the hook heard it
    assert {f"c{i}" for i in range(30)} <= set(cookies) and len(storage) == 30

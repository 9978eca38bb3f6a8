"""The pure parts of collect: finding the browser, flags, crawl rules, parties, settings."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from privacy_audit.collect.browser import (
    INSTALL_HINT,
    BrowserNotFound,
    find_browser,
    launch_flags,
    prepare_profile,
)
from privacy_audit.collect.collector import Collector
from privacy_audit.collect.crawl import (
    Frontier,
    links_privacy_page,
    same_site_page,
    sitemap_urls,
)
from privacy_audit.collect.domains import party_of, registrable_domain
from privacy_audit.collect.recorder import PhaseRecorder, cookie_line_key, strip_query
from privacy_audit.collect.steps import VisitOutcome, classify_error
from privacy_audit.consent.phrases import ACCEPT_PHRASES, REFUSE_PHRASES, phrases_for
from privacy_audit.observations import PageVisit
from privacy_audit.settings import AuditSettings, SettingsError, parse_resolve


def _executable(path: Path) -> str:
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


# --- finding the browser ---------------------------------------------------------------------


def test_browser_search_order(tmp_path: Path) -> None:
    option = _executable(tmp_path / "option-chrome")
    env_path = _executable(tmp_path / "env-chrome")
    bundled = _executable(tmp_path / "bundled-chrome")
    system_dir = tmp_path / "bin"
    system_dir.mkdir()
    system = _executable(system_dir / "chromium")
    env = {"PRIVACY_PAGES_CHROMIUM": env_path}
    search = str(system_dir)
    assert (
        find_browser(option, env=env, playwright_path=bundled, search_path=search).source
        == "option"
    )
    assert find_browser(None, env=env, playwright_path=bundled, search_path=search).path == env_path
    assert (
        find_browser(None, env={}, playwright_path=bundled, search_path=search).source
        == "playwright"
    )
    found = find_browser(None, env={}, playwright_path=str(tmp_path / "absent"), search_path=search)
    assert (found.path, found.source) == (system, "system")


def test_no_browser_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFound) as error:
        find_browser(None, env={}, playwright_path=None, search_path=str(tmp_path))
    assert str(error.value) == INSTALL_HINT
    assert (
        "apt-get install chromium" in INSTALL_HINT and "playwright install chromium" in INSTALL_HINT
    )
    with pytest.raises(
        BrowserNotFound, match=r"^PRIVACY_PAGES_CHROMIUM: '/no/such' is not an executable"
    ):
        find_browser(None, env={"PRIVACY_PAGES_CHROMIUM": "/no/such"}, search_path=str(tmp_path))


def test_launch_flags_keep_the_browser_quiet_and_map_hosts() -> None:
    flags = launch_flags({"shop.test": "127.0.0.1", "*.cdn.test": "127.0.0.1"})
    for flag in (
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ):
        assert flag in flags
    assert ("--no-sandbox" in flags) == (os.geteuid() == 0)
    assert flags[-1] == "--host-resolver-rules=MAP shop.test 127.0.0.1, MAP *.cdn.test 127.0.0.1"
    assert not any(f.startswith("--host-resolver-rules") for f in launch_flags({}))


def test_profile_allows_third_party_cookies(tmp_path: Path) -> None:
    prepare_profile(tmp_path)
    preferences = json.loads((tmp_path / "Default" / "Preferences").read_text(encoding="utf-8"))
    assert preferences["profile"]["cookie_controls_mode"] == 0
    assert preferences["profile"]["block_third_party_cookies"] is False


# --- crawl -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.shop.fr/a#top", "https://www.shop.fr/a"),
        ("https://shop.fr", "https://shop.fr/"),
        ("HTTPS://Shop.FR/A?x=1", "https://shop.fr/A?x=1"),
        ("https://blog.shop.fr/post", "https://blog.shop.fr/post"),
        ("https://shop.fr.evil.example/", None),
        ("https://shop.fr/catalogue.PDF", None),
        ("mailto:contact@shop.fr", None),
        ("javascript:void(0)", None),
        ("https://other.fr/", None),
    ],
)
def test_same_site_pages(url: str, expected: str | None) -> None:
    assert same_site_page(url, "shop.fr") == expected


def test_frontier_is_breadth_first_unique_and_bounded() -> None:
    frontier = Frontier("https://shop.fr/", "shop.fr", 3)
    frontier.add(
        [
            "https://shop.fr/a",
            "https://shop.fr/a#x",
            "https://x.fr/",
            "https://shop.fr/b",
            "https://shop.fr/c",
        ]
    )
    assert [frontier.pop() for _ in range(4)] == [
        "https://shop.fr/",
        "https://shop.fr/a",
        "https://shop.fr/b",
        None,
    ]
    redirected = Frontier("https://shop.fr/", "shop.fr", 5)
    redirected.mark_seen("https://shop.fr/home")
    redirected.add(["https://shop.fr/home"])
    assert len(redirected) == 1


def test_sitemap_locations_without_an_xml_parser() -> None:
    text = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>
    <urlset><url><loc> https://shop.fr/a?x=1&amp;y=2 </loc></url>
    <url><loc>/b</loc></url></urlset>"""
    assert sitemap_urls(text, "https://shop.fr/") == [
        "https://shop.fr/a?x=1&y=2",
        "https://shop.fr/b",
    ]


@pytest.mark.parametrize(
    ("text", "href", "expected"),
    [
        ("Politique de confidentialité", "/p", True),
        ("Datenschutz", "/d", True),
        ("Mentions", "/privacy-policy", True),
        ("Gestion des cookies", "#", True),
        ("Contact", "/contact", False),
    ],
)
def test_privacy_links(text: str, href: str, expected: bool) -> None:
    assert links_privacy_page([{"text": text, "href": href}]) is expected


# --- parties ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "site", "party"),
    [
        ("www.shop.fr", "shop.fr", "first"),
        ("shop.fr", "shop.fr", "first"),
        ("cdn.shop.fr", "shop.fr", "first"),
        ("shop.fr.uy", "shop.fr", "third"),
        ("a.b.co.uk", "b.co.uk", "first"),
        ("c.co.uk", "b.co.uk", "third"),
        ("user.github.io", "other.github.io", "third"),
        ("127.0.0.1", "127.0.0.1", "first"),
        ("localhost", "127.0.0.1", "third"),
    ],
)
def test_parties_follow_the_public_suffix_list(host: str, site: str, party: str) -> None:
    assert party_of(host, site) == party


def test_registrable_domain_of_cookie_domains() -> None:
    assert registrable_domain(".www.shop.fr") == "shop.fr"
    assert registrable_domain("[::1]") == "::1"


def test_set_cookie_lines_name_their_cookie_never_its_value() -> None:
    assert cookie_line_key("id=secret; Domain=.Shop.fr; Path=/", "https://www.shop.fr/x") == (
        "id",
        "shop.fr",
    )
    assert cookie_line_key("id=secret", "https://www.shop.fr/x") == ("id", "www.shop.fr")
    assert strip_query("https://t.fr/c?uid=123#x") == "https://t.fr/c"


# --- consent words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hrefs", "sitemap", "pages", "expected"),
    [
        (["http://shop.test/", "http://shop.test/#top", "http://shop.test/b.html"], [], 10, 1),
        (["http://shop.test/a.html", "https://cdn.other.test/x.html", "mailto:a@b.c"], [], 10, 1),
        (["http://shop.test/logo.png"], ["http://shop.test/a.html", "http://shop.test/b"], 10, 2),
        (["http://shop.test/a", "http://shop.test/b", "http://shop.test/c"], [], 2, 1),
        ([], [], 10, 0),
    ],
)
def test_pages_the_landing_page_leads_to(
    hrefs: list[str], sitemap: list[str], pages: int, expected: int, tmp_path: Path
) -> None:
    """How many other pages of the site the landing page names: the tabs worth opening in
    advance (a two-page site needs none besides the landing page's)."""
    collector = Collector(AuditSettings(url="http://shop.test/", pages=pages), tmp_path)
    visit = PageVisit(
        url="http://shop.test/", final_url="http://shop.test/", status=200, title=None, load_ms=1.0
    )
    landing = VisitOutcome(visit, [{"href": h, "text": ""} for h in hrefs], sitemap)
    assert collector._pages_beyond(landing) == expected


def test_a_name_two_tabs_set_goes_to_the_page_first_in_the_crawl_order() -> None:
    """Tabs race: /b's write is heard first, but /a was handed out first; a name only one
    page sets stays with it; storage keys follow the same rule."""
    recorder = PhaseRecorder("shop.test")
    tab_a, tab_b = object(), object()
    for url in ("http://shop.test/", "http://shop.test/a", "http://shop.test/b"):
        recorder.will_visit(url)
    recorder.visiting(tab_b, "http://shop.test/b")  # type: ignore[arg-type]
    recorder.visiting(tab_a, "http://shop.test/a")  # type: ignore[arg-type]
    writes = [
        (tab_b, {"kind": "cookie", "name": "sid", "domain": "shop.test"}),
        (tab_b, {"kind": "cookie", "name": "only_b", "domain": "shop.test"}),
        (tab_b, {"kind": "local_storage", "name": "seen", "origin": "http://shop.test"}),
        (tab_a, {"kind": "cookie", "name": "sid", "domain": "shop.test"}),
        (tab_a, {"kind": "local_storage", "name": "seen", "origin": "http://shop.test"}),
    ]
    for page, report in writes:
        recorder._on_write({"page": page}, report)
    assert recorder.first_credits() == {
        ("sid", "shop.test"): "http://shop.test/a",
        ("only_b", "shop.test"): "http://shop.test/b",
    }
    assert recorder._storage_credits == {
        ("local_storage", "seen", "http://shop.test"): "http://shop.test/a"
    }


def _cookie_issue(operation: str, exclusions: list[str], **details: object) -> dict[str, object]:
    """An ``Audits.issueAdded`` event as Chromium sends it for a cookie."""
    return {
        "issue": {
            "code": "CookieIssue",
            "details": {
                "cookieIssueDetails": {
                    "operation": operation,
                    "cookieExclusionReasons": exclusions,
                    "cookieWarningReasons": [],
                    **details,
                }
            },
        }
    }


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (  # refused as it was set: named, with Chromium's reason and the address sans query
            _cookie_issue(
                "SetCookie",
                ["ExcludeSameSiteNoneInsecure"],
                cookie={"name": "old_uid", "domain": "tracker.test", "path": "/"},
                request={"requestId": "1", "url": "https://tracker.test/legacy.gif?u=42"},
            ),
            [("old_uid", ["SameSiteNoneInsecure"], "https://tracker.test/legacy.gif")],
        ),
        (  # no cookie object (a line the browser could not parse): its name from the line
            _cookie_issue(
                "SetCookie",
                ["ExcludeDomainNonASCII"],
                rawCookieLine="uid=secret; Domain=ex\u00e4mple.test",
                request={"url": "https://t.test/p"},
            ),
            [("uid", ["DomainNonASCII"], "https://t.test/p")],
        ),
        (_cookie_issue("SetCookie", [], cookie={"name": "warned"}), []),  # a warning: it was set
        (_cookie_issue("ReadCookie", ["ExcludeSameSiteLax"], cookie={"name": "sent"}), []),
        ({"issue": {"code": "MixedContentIssue", "details": {}}}, []),
        ({}, []),
    ],
    ids=["refused", "raw-line", "warning", "not-sent", "other-issue", "empty"],
)
def test_cookies_the_browser_refused_come_from_its_issues(
    event: dict[str, object], expected: list[tuple[str, list[str], str]]
) -> None:
    recorder = PhaseRecorder("shop.test")
    recorder._on_issue(event)
    recorder._on_issue(event)  # heard twice (two tabs), listed once
    recorder.finish()
    assert [(b["name"], b["reasons"], b["url"]) for b in recorder.blocked_cookies] == expected
    assert "secret" not in json.dumps(recorder.blocked_cookies)


def test_phrases_put_the_page_language_first_and_cover_six_languages() -> None:
    assert set(REFUSE_PHRASES) >= {"fr", "en", "de", "es", "it", "nl"}
    assert set(ACCEPT_PHRASES) == set(REFUSE_PHRASES)
    german = phrases_for("de-AT", REFUSE_PHRASES)
    assert german[0] == "alle ablehnen"
    for phrase in (
        "tout refuser",
        "continuer sans accepter",
        "je refuse",
        "refuser",
        "reject all",
        "decline",
        "alle ablehnen",
        "rechazar todo",
        "rifiuta tutto",
        "alles weigeren",
    ):
        assert phrase in german
    assert len(german) == len(set(german))
    assert not set(phrases_for("fr", REFUSE_PHRASES)) & set(phrases_for("fr", ACCEPT_PHRASES))


# --- settings and errors ---------------------------------------------------------------------


def test_settings_errors_name_the_option_the_value_and_what_is_allowed() -> None:
    with pytest.raises(SettingsError, match=r"^--timeout: 0 is out of range; allowed 1 to 3600$"):
        AuditSettings(url="https://shop.fr/", timeout=0)
    assert parse_resolve(["Shop.test=127.0.0.1", "*.cdn.test=::1"]) == {
        "shop.test": "127.0.0.1",
        "*.cdn.test": "::1",
    }


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Page.goto: net::ERR_NAME_NOT_RESOLVED at https://x/", "unreachable"),
        ("Page.goto: net::ERR_CERT_DATE_INVALID at https://x/", "tls"),
        ("Page.goto: net::ERR_SSL_PROTOCOL_ERROR at https://x/", "tls"),
        ("Page.goto: net::ERR_TOO_MANY_REDIRECTS at https://x/", "redirect_loop"),
        ("Page.goto: Timeout 30000ms exceeded.", "timeout"),
        ("Page.goto: Page crashed", "crash"),
        ("Page.goto: net::ERR_ABORTED", "other"),
    ],
)
def test_navigation_errors_are_classified(message: str, kind: str) -> None:
    assert classify_error(message) == kind


# --- every wait in one settings object, no swallowed crawler error ---------------------------


def _crawler_files() -> list[str]:
    """Every module of the crawler's rooms (collect/, consent/), as paths inside the package."""
    import privacy_audit

    root = Path(privacy_audit.__file__).parent
    return sorted(
        str(path.relative_to(root))
        for room in ("collect", "consent")
        for path in (root / room).glob("*.py")
    )


CRAWLER = _crawler_files()


def _crawler_source(name: str) -> str:
    import privacy_audit

    return (Path(privacy_audit.__file__).parent / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CRAWLER)
def test_no_wait_is_a_literal_outside_the_timeouts(name: str) -> None:
    import re

    source = _crawler_source(name)
    assert not re.findall(r"sleep\(\s*[0-9]", source)
    assert not re.findall(r"timeout=\s*[0-9]", source)


@pytest.mark.parametrize("name", CRAWLER)
def test_no_caught_crawler_error_is_passed_over(name: str) -> None:
    import re

    source = _crawler_source(name)
    assert not re.findall(r"except Exception:\s*\n\s*pass\b", source)
    assert not re.findall(r"except:\s", source)


def test_every_timeout_has_its_reason() -> None:
    import dataclasses
    import inspect as pyinspect

    from privacy_audit.settings import Timeouts

    source = pyinspect.getsource(Timeouts)
    for field in dataclasses.fields(Timeouts):
        after = source.split(f"    {field.name}: float", 1)[1]
        assert after.split("\n", 2)[1].strip().startswith('"""'), field.name
    assert AuditSettings(url="https://x.example/", settle=0.5).timeouts.dwell == 0.5


# --- closing the browser ---------------------------------------------------------------------

_LATE_WRITER = """
import os, sys, time
profile, life = sys.argv[2].split("=", 1)[1], float(sys.argv[1])
browser = os.getpid()
if os.fork():  # the "browser": exits a little later; its child (the "network service")
    time.sleep(life)  # is orphaned then
    sys.exit(0)
while os.getppid() == browser:
    time.sleep(0.02)
time.sleep(0.3)  # after the browser has gone: its last writes into the profile
os.makedirs(os.path.join(profile, "Default"), exist_ok=True)
for _ in range(200):  # 10 s at most, should the test fail
    with open(os.path.join(profile, "Default", "Network Persistent State"), "w") as state:
        state.write("{}")
    time.sleep(0.05)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc")
def test_closing_ends_what_outlives_the_browser_before_removing_its_profile() -> None:
    """Under load, a browser past its budget was killed while its network service, orphaned
    and no longer in our process tree, still wrote into the profile: the folder stayed."""
    import asyncio
    import subprocess
    import sys

    from privacy_audit.collect.browser import BrowserChoice, SharedBrowser, profile_processes
    from privacy_audit.collect.proctree import running
    from privacy_audit.settings import Timeouts

    from ..conftest import patience

    shared = SharedBrowser(
        None,  # type: ignore[arg-type] - no driver: the "browser" is a script
        BrowserChoice(sys.executable, "option"),
        resolve={},
        timeouts=Timeouts(close=patience(3), terminate=1.0),
    )
    browser = subprocess.Popen(
        [sys.executable, "-c", _LATE_WRITER, str(patience(1)), f"--user-data-dir={shared.profile}"]
    )
    shared.process = browser
    waited = time.monotonic() + patience(10)
    while len(processes := profile_processes(shared.profile)) < 2 and time.monotonic() < waited:
        time.sleep(0.02)  # until the fork
    orphan = [process for process in processes if process.pid != browser.pid]
    try:
        assert len(orphan) == 1
        asyncio.run(shared.close())
        assert not shared.profile.exists()
        assert not running(orphan[0])
        assert shared.notes == ["1 browser process(es) killed after closing"]
    finally:
        for process in orphan:
            if running(process):
                os.kill(process.pid, 9)
        browser.kill()
        browser.wait()


def _singleton_layout(tmp_path: Path, name: str, cookie: str = "4242") -> tuple[Path, Path]:
    """A profile whose single-instance links point into ``tmp_path/name``, as Chromium
    leaves them when it is killed."""
    profile, folder = tmp_path / "profile", tmp_path / name
    profile.mkdir()
    folder.mkdir()
    (folder / "SingletonSocket").write_text("", encoding="utf-8")  # a socket, in Chromium
    (folder / "SingletonCookie").symlink_to("4242")
    (profile / "SingletonSocket").symlink_to(folder / "SingletonSocket")
    (profile / "SingletonCookie").symlink_to(cookie)
    return profile, folder


def test_a_killed_browsers_singleton_folder_is_removed(tmp_path: Path) -> None:
    from privacy_audit.collect.browser import remove_singleton_folder

    profile, folder = _singleton_layout(tmp_path, "org.chromium.Chromium.aB3xYz")
    remove_singleton_folder(profile)
    assert not folder.exists()
    remove_singleton_folder(tmp_path / "no-profile")  # closed cleanly: nothing to do


@pytest.mark.parametrize(
    ("name", "cookie", "extra"),
    [
        ("important", "4242", None),  # not a name Chromium gives
        ("org.chromium.Chromium.aB3xYz", "9999", None),  # another browser's folder
        ("org.chromium.Chromium.aB3xYz", "4242", "notes.txt"),  # holds something else
    ],
)
def test_a_singleton_folder_that_may_not_be_ours_is_left_alone(
    tmp_path: Path, name: str, cookie: str, extra: str | None
) -> None:
    from privacy_audit.collect.browser import remove_singleton_folder

    profile, folder = _singleton_layout(tmp_path, name, cookie)
    if extra:
        (folder / extra).write_text("kept", encoding="utf-8")
    remove_singleton_folder(profile)
    assert (folder / "SingletonSocket").exists()


def _profile(folder: Path, name: str, lock: str | None) -> Path:
    profile = folder / name
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text("{}", encoding="utf-8")
    if lock is not None:
        (profile / "SingletonLock").symlink_to(lock)
    return profile


def test_profiles_of_audits_killed_outright_are_removed_and_no_other(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    from privacy_audit.collect.browser import remove_stale_profiles

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # a process id that no longer runs
    host = socket.gethostname()
    stale = _profile(tmp_path, "privacy-pages-profile-dead", f"{host}-{ended.pid}")
    kept = [
        _profile(tmp_path, "privacy-pages-profile-alive", f"{host}-{os.getpid()}"),
        _profile(tmp_path, "privacy-pages-profile-elsewhere", f"other-host-{ended.pid}"),
        _profile(tmp_path, "privacy-pages-profile-starting", None),  # no browser yet
        _profile(tmp_path, "someone-elses-profile", f"{host}-{ended.pid}"),
    ]
    (tmp_path / "privacy-pages-profile-link").symlink_to(kept[-1])

    assert remove_stale_profiles(tmp_path) == [stale]
    assert not stale.exists()
    assert all((profile / "Default" / "Preferences").exists() for profile in kept)
    assert (tmp_path / "privacy-pages-profile-link").is_symlink()


class _ReloadingPage:
    """A page whose document is replaced under the first read (a consent manager that
    reloads the page once the choice is stored), as Playwright reports it."""

    url = "https://shop.example/"
    main_frame = None

    def __init__(self) -> None:
        self.reads = 0
        self.waited: list[str] = []
        self.frames: list[object] = []  # no frame of another site

    async def title(self) -> str:
        self.reads += 1
        if self.reads == 1:
            raise RuntimeError(
                "Page.title: Execution context was destroyed, most likely because of a navigation"
            )
        return "Accueil"

    async def wait_for_load_state(self, state: str, timeout: float) -> None:
        self.waited.append(state)

    async def evaluate(self, script: str) -> list[object]:
        return []


def test_a_document_replaced_while_it_is_read_is_read_again_once_loaded() -> None:
    import asyncio

    from privacy_audit.collect.steps import read_document

    page = _ReloadingPage()
    outcome = VisitOutcome(visit=PageVisit(page.url, None, 200, None, 10.0))
    recorder = PhaseRecorder("shop.example")
    asyncio.run(read_document(page, outcome, recorder, False, 3.0))  # type: ignore[arg-type]
    assert page.waited == ["load"] and outcome.visit.title == "Accueil"
    assert any("reloaded or moved" in note for note in outcome.notes)


def test_a_read_that_fails_otherwise_is_not_retried() -> None:
    import asyncio

    from privacy_audit.collect.steps import read_document

    class Closed(_ReloadingPage):
        async def title(self) -> str:
            raise RuntimeError("Target page, context or browser has been closed")

    page = Closed()
    outcome = VisitOutcome(visit=PageVisit(page.url, None, 200, None, 10.0))
    with pytest.raises(RuntimeError, match="closed"):
        asyncio.run(read_document(page, outcome, PhaseRecorder("shop.example"), False, 3.0))  # type: ignore[arg-type]
    assert page.waited == []

"""collect against real sites on 127.0.0.1: observations asserted exactly, phase by phase.

Each site runs once per module (a module-scoped fixture); the tests then read its
observations. The audits run on the worker's shared driver and Chromium (`browser_host`),
each in fresh contexts as every audit is. Third parties live on other host names (tracker.test, ads.test) that Chromium
maps to loopback, and set their own cookies over HTTPS (SameSite=None needs Secure).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from privacy_audit import PHASES
from privacy_audit.collect.host import BrowserHost
from privacy_audit.observations import Observations, PhaseObservations
from privacy_audit.settings import AuditSettings, parse_resolve

from .site_server import SiteServer

pytestmark = pytest.mark.browser
DAY = 86400


def run_collect(server: SiteServer, out: Path, host: BrowserHost, **overrides: Any) -> Observations:
    options: dict[str, Any] = {
        "url": server.url(),
        "pages": 10,
        "timeout": 10,
        "budget": 150,
        "concurrency": 2,
        "settle": 0.5,
        "consent_wait": 4,
        "resolve": parse_resolve(server.resolve),
        "ignore_https_errors": True,
    }
    options.update(overrides)
    return host.observe(AuditSettings(**options), out)


def shape(server: SiteServer, text: str | None) -> str | None:
    """A URL with the test ports named, so expectations do not depend on them."""
    if text is None:
        return None
    text = text.replace(f":{server.http_port}", ":HTTP").replace(f":{server.https_port}", ":HTTPS")
    return text.replace(f":{server.closed_port}", ":CLOSED")


def cookies(server: SiteServer, phase: PhaseObservations) -> list[tuple[Any, ...]]:
    return [
        (
            c.name,
            c.domain,
            c.path,
            c.party,
            c.registrable_domain,
            "session" if c.session else round((c.lifetime_seconds or 0) / DAY),
            c.http_only,
            c.secure,
            c.same_site,
            shape(server, c.set_by_url),
        )
        for c in phase.cookies
    ]


def storage(server: SiteServer, phase: PhaseObservations) -> list[tuple[str, ...]]:
    return [(s.kind, s.key, shape(server, s.origin) or "", s.party) for s in phase.storage]


def requests(phase: PhaseObservations) -> list[tuple[str, str, str]]:
    return [(r.host, r.registrable_domain, r.party) for r in phase.requests]


def pages(server: SiteServer, phase: PhaseObservations) -> list[tuple[Any, ...]]:
    return [(shape(server, p.url), p.status, p.error_kind) for p in phase.pages]


def banner(phase: PhaseObservations) -> tuple[Any, ...]:
    b = phase.banner
    assert b is not None
    return (
        b.detected,
        b.action,
        b.method,
        b.succeeded,
        b.reject_option_found,
        b.withdraw_option_found,
    )


SID = (
    "sid",
    "shop.test",
    "/",
    "first",
    "shop.test",
    "session",
    True,
    False,
    "Lax",
    "http://shop.test:HTTP/",
)
PA_ID = (
    "_pa_id",
    "shop.test",
    "/",
    "first",
    "shop.test",
    395,
    False,
    False,
    "Lax",
    "https://tracker.test:HTTPS/analytics.js",
)
ADS_FP = (
    "_ads_fp",
    "shop.test",
    "/",
    "first",
    "shop.test",
    90,
    False,
    False,
    "Lax",
    "https://ads.test:HTTPS/ads.js",
)
TRK_UID = (
    "trk_uid",
    "tracker.test",
    "/",
    "third",
    "tracker.test",
    365,
    True,
    True,
    "None",
    "https://tracker.test:HTTPS/collect",
)
# Asked for 2 years; Chromium caps cookie lifetimes at 400 days.
AD_ID = (
    "ad_id",
    "ads.test",
    "/",
    "third",
    "ads.test",
    400,
    False,
    True,
    "None",
    "https://ads.test:HTTPS/pixel.gif",
)
TRACKER_STORAGE = [
    ("local_storage", "_pa_last_visit", "http://shop.test:HTTP", "first"),
    ("local_storage", "ads_frame_id", "https://ads.test:HTTPS", "third"),
    ("session_storage", "ads_session", "http://shop.test:HTTP", "first"),
]
TRACKER_HOSTS = [("ads.test", "ads.test", "third"), ("tracker.test", "tracker.test", "third")]


# --- tarteaucitron: a French shop gating an analytics and an advertising service -----------


@pytest.fixture(scope="module")
def tarteaucitron(
    serve_site: Any, tmp_path_factory: pytest.TempPathFactory, browser_host: BrowserHost
) -> tuple[SiteServer, Observations, Path]:
    server = serve_site("tarteaucitron")
    out = tmp_path_factory.mktemp("tarteaucitron")
    return server, run_collect(server, out, browser_host), out


def test_tarteaucitron_phases_and_pages(tarteaucitron: Any) -> None:
    server, observations, _ = tarteaucitron
    assert [p.phase for p in observations.phases] == list(PHASES)
    assert observations.site_domain == "shop.test"
    site = ["/", "/a-propos.html", "/confidentialite.html", "/produits.html", "/promo.html"]
    # promo.html is only in sitemap.xml; catalogue.pdf and elsewhere.test are not crawled.
    expected = [(f"http://shop.test:HTTP{path}", 200, None) for path in site]
    before, reject, accept = observations.phases
    assert pages(server, before) == expected
    assert pages(server, reject) == expected  # the choice on the landing page, then the rest
    assert pages(server, accept) == expected
    assert all(p.links_privacy_page for phase in observations.phases for p in phase.pages)
    assert [p.title for p in before.pages] == [
        "Boutique",
        "À propos",
        "Politique de confidentialité",
        "Produits",
        "Promotion",
    ]


def test_tarteaucitron_banner_per_phase(tarteaucitron: Any) -> None:
    _, observations, _ = tarteaucitron
    before, reject, accept = observations.phases
    assert banner(before) == (True, "none", "none", False, True, None)
    assert banner(reject) == (True, "reject", "autoconsent", True, True, True)
    # A rule that clicks before the consent manager listens is followed by the banner's own
    # button (the banner stayed): either way the choice is made.
    found = banner(accept)
    assert found[2] in ("autoconsent", "text-fallback"), found
    assert found[:2] + found[3:] == (True, "accept", True, True, True)
    assert {p.banner.cmp for p in observations.phases} == {"tarteaucitron deny"}  # type: ignore[union-attr]
    assert "refuse 'tout refuser'" in (before.banner.detail if before.banner else "")


def test_tarteaucitron_observations_phase_by_phase(tarteaucitron: Any) -> None:
    server, observations, _ = tarteaucitron
    before, reject, accept = observations.phases
    choice = (
        "tarteaucitron",
        "shop.test",
        "/",
        "first",
        "shop.test",
        365,
        False,
        False,
        "Lax",
        "http://shop.test:HTTP/vendor/tarteaucitronjs/tarteaucitron.js",
    )
    for phase in (before, reject):
        assert cookies(server, phase) == [SID, choice]
        assert storage(server, phase) == []
        assert requests(phase) == []
    assert cookies(server, accept) == [ADS_FP, PA_ID, AD_ID, SID, choice, TRK_UID]
    assert storage(server, accept) == TRACKER_STORAGE
    assert requests(accept) == TRACKER_HOSTS
    assert all(r.count >= 5 for r in accept.requests)  # one script and beacon per page at least


def test_one_screenshot_the_banner_as_a_new_visitor_sees_it(tarteaucitron: Any) -> None:
    """Only the first phase's landing page: screenshots stay off the other phases' path."""
    _, observations, out = tarteaucitron
    before = observations.phases[0]
    assert before.pages[0].screenshot == "screenshots/before-consent.png"
    assert (out / before.pages[0].screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shots = [p.screenshot for phase in observations.phases for p in phase.pages]
    assert shots.count(None) == len(shots) - 1


def test_observations_round_trip_and_hold_no_cookie_value(tarteaucitron: Any) -> None:
    _, observations, _ = tarteaucitron
    text = observations.to_json()
    assert Observations.from_json(text) == observations
    # The test sites' cookie values: none may reach the artifact.
    for value in ("u123", "a456", "s1", "v1"):
        assert f'"{value}"' not in text
    assert "=wait" not in text  # tarteaucitron's own value


# --- vanilla-cookieconsent: an English shop, scripts blocked as text/plain ----------------


@pytest.fixture(scope="module")
def cookieconsent(
    serve_site: Any, tmp_path_factory: pytest.TempPathFactory, browser_host: BrowserHost
) -> tuple[SiteServer, Observations]:
    server = serve_site("cookieconsent")
    return server, run_collect(server, tmp_path_factory.mktemp("cookieconsent"), browser_host)


def test_cookieconsent_observations_phase_by_phase(cookieconsent: Any) -> None:
    server, observations = cookieconsent
    before, reject, accept = observations.phases
    site = [f"http://shop.test:HTTP{p}" for p in ("/", "/privacy.html", "/products.html")]
    assert pages(server, before) == [(u, 200, None) for u in site]
    assert banner(before) == (True, "none", "none", False, True, None)
    assert banner(reject) == (True, "reject", "autoconsent", True, True, True)
    # A rule that clicks before the consent manager listens is followed by the banner's own
    # button (the banner stayed): either way the choice is made.
    found = banner(accept)
    assert found[2] in ("autoconsent", "text-fallback"), found
    assert found[:2] + found[3:] == (True, "accept", True, True, True)
    assert reject.banner and reject.banner.cmp == "cookieconsent3"
    choice = (
        "cc_cookie",
        ".shop.test",
        "/",
        "first",
        "shop.test",
        182,
        False,
        False,
        "Lax",
        "http://shop.test:HTTP/vendor/vanilla-cookieconsent/dist/cookieconsent.umd.js",
    )
    assert cookies(server, before) == [SID]
    assert cookies(server, reject) == [choice, SID]
    assert cookies(server, accept) == [ADS_FP, PA_ID, AD_ID, choice, SID, TRK_UID]
    assert [storage(server, p) for p in observations.phases] == [[], [], TRACKER_STORAGE]
    assert [requests(p) for p in observations.phases] == [[], [], TRACKER_HOSTS]


# --- a badly behaved shop: trackers before consent, refusal ignored, banner in shadow DOM --


@pytest.fixture(scope="module")
def bad_site(
    serve_site: Any, tmp_path_factory: pytest.TempPathFactory, browser_host: BrowserHost
) -> tuple[SiteServer, Observations]:
    server = serve_site("bad")
    return server, run_collect(server, tmp_path_factory.mktemp("bad"), browser_host)


def test_bad_site_sets_trackers_in_every_phase(bad_site: Any) -> None:
    server, observations = bad_site
    before, reject, accept = observations.phases
    choice = (
        "choice",
        "shop.test",
        "/",
        "first",
        "shop.test",
        365,
        False,
        False,
        "Lax",
        "http://shop.test:HTTP/banner.js",
    )
    assert cookies(server, before) == [ADS_FP, PA_ID, AD_ID, SID, TRK_UID]
    assert cookies(server, reject) == [ADS_FP, PA_ID, AD_ID, choice, SID, TRK_UID]
    assert cookies(server, accept) == [ADS_FP, PA_ID, AD_ID, choice, SID, TRK_UID]
    for phase in observations.phases:
        assert storage(server, phase) == TRACKER_STORAGE
        assert requests(phase) == TRACKER_HOSTS


def test_unknown_banner_in_shadow_dom_is_answered_by_its_french_text(bad_site: Any) -> None:
    _, observations = bad_site
    before, reject, accept = observations.phases
    assert banner(before) == (True, "none", "none", False, True, None)
    # No autoconsent rule knows this banner: the text fallback finds its buttons in the
    # shadow root. No "manage cookies" link exists after the choice.
    assert banner(reject) == (True, "reject", "text-fallback", True, True, False)
    assert banner(accept) == (True, "accept", "text-fallback", True, True, False)
    assert reject.banner and reject.banner.detail.startswith("clicked 'continuer sans accepter'")
    assert accept.banner and accept.banner.detail.startswith("clicked 'tout accepter'")


# --- a site without banner: a regular profile sees a cross-site Set-Cookie ----------------


def test_cross_site_set_cookie_is_observed_in_a_regular_profile(
    serve_site: Any, tmp_path: Path, browser_host: BrowserHost
) -> None:
    server = serve_site("plain")
    observations = run_collect(server, tmp_path, browser_host, consent_wait=2)
    for phase in observations.phases:
        # Off-the-record contexts would block it with reason UserPreferences.
        assert cookies(server, phase) == [
            SID,
            (
                "trk_uid",
                "tracker.test",
                "/",
                "third",
                "tracker.test",
                365,
                True,
                True,
                "None",
                "https://tracker.test:HTTPS/pixel.gif",
            ),
        ]
        # The browser's own refusals are recorded too (SameSite=None without Secure).
        assert [
            (b["name"], b["reasons"], shape(server, b["url"])) for b in phase.blocked_cookies
        ] == [("old_uid", ["SameSiteNoneInsecure"], "https://tracker.test:HTTPS/legacy.gif")]
        assert banner(phase)[:4] == (False, phase.banner.action, "none", False)  # type: ignore[union-attr]
        assert phase.banner and phase.banner.detail == "no consent banner found"


# --- an unknown banner inside an iframe, in German ------------------------------------------


def test_unknown_banner_in_an_iframe_is_answered_by_its_german_text(
    serve_site: Any, tmp_path: Path, browser_host: BrowserHost
) -> None:
    server = serve_site("iframe")
    observations = run_collect(server, tmp_path, browser_host, consent_wait=3)
    before, reject, accept = observations.phases
    assert banner(before) == (True, "none", "none", False, True, None)
    assert banner(reject)[:5] == (True, "reject", "text-fallback", True, True)
    assert banner(accept)[:5] == (True, "accept", "text-fallback", True, True)
    assert reject.banner and reject.banner.detail.startswith("clicked 'alle ablehnen'")
    assert accept.banner and accept.banner.detail.startswith("clicked 'alle akzeptieren'")
    choice = [c.name for c in before.cookies if c.name == "einwilligung"]
    assert choice == []
    assert [c.name for c in reject.cookies if c.name == "einwilligung"] == ["einwilligung"]
    assert [p.title for p in before.pages] == ["Laden", "Datenschutz"]

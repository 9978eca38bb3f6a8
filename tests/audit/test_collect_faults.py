"""Faults: each is recorded on its page, the crawl goes on, the run keeps to its budget."""

from __future__ import annotations

import math
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect.collector import collect
from privacy_audit.i18n import Text, text
from privacy_audit.observations import Observations, page_error, said_note
from privacy_audit.settings import AuditSettings, Timeouts, parse_resolve

from ..conftest import patience
from .site_server import SiteServer

pytestmark = pytest.mark.browser


TIMEOUT, BUDGET = patience(4), patience(150)
"""Per page and per run; a loaded machine stretches both, and the bounds asserted with them."""


def _settings(server: SiteServer, **overrides: Any) -> AuditSettings:
    # No --ignore-https-errors here: the self-signed HTTPS page must fail as a TLS error.
    options: dict[str, Any] = {
        "url": server.url(),
        "pages": 10,
        "timeout": TIMEOUT,
        "budget": BUDGET,
        "concurrency": 2,
        "settle": 0.3,
        "consent_wait": 1,
        "resolve": parse_resolve(server.resolve),
    }
    options.update(overrides)
    return AuditSettings(**options)


@pytest.fixture(scope="module")
def faults(
    serve_site: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SiteServer, Observations, float]:
    server = serve_site("faults")
    started = time.monotonic()
    observations = collect(_settings(server), tmp_path_factory.mktemp("faults"))
    return server, observations, time.monotonic() - started


def test_every_fault_is_recorded_on_its_page_and_the_crawl_goes_on(faults: Any) -> None:
    server, observations, _ = faults
    http, https, closed = server.http_port, server.https_port, server.closed_port
    expected = [
        (f"http://shop.test:{http}/", 200, None),
        (f"http://shop.test:{closed}/", None, "unreachable"),
        (f"http://shop.test:{http}/hang?s=60", None, "timeout"),
        (f"http://shop.test:{http}/missing.html", 404, "http"),
        (f"http://shop.test:{http}/ok.html", 200, None),
        (f"http://shop.test:{http}/oom.html", None, "crash"),
        (f"http://shop.test:{http}/redirect-loop", None, "redirect_loop"),
        (f"http://shop.test:{http}/status/500", 500, "http"),
        (f"https://shop.test:{https}/tls.html", None, "tls"),
    ]
    expected[1:] = sorted(expected[1:])  # pages after the landing one come in URL order
    before, reject, accept = observations.phases
    assert [(p.url, p.status, p.error_kind) for p in before.pages] == expected
    for phase in (reject, accept):
        assert [(p.url, p.status, p.error_kind) for p in phase.pages] == expected
    errors = {p.error_kind: p.error for p in before.pages if p.error}
    assert sorted(p.error for p in before.pages if p.error_kind == "http") == [
        "HTTP 404",
        "HTTP 500",
    ]
    assert "ERR_CONNECTION_REFUSED" in errors["unreachable"]
    assert "ERR_TOO_MANY_REDIRECTS" in errors["redirect_loop"]
    assert "ERR_CERT" in errors["tls"]
    assert "crash" in errors["crash"]
    assert f"Timeout {TIMEOUT * 1000:.0f}ms" in errors["timeout"]
    assert all("\n" not in (p.error or "") for phase in observations.phases for p in phase.pages)
    # Sentences of ours are kept to be said in a report's language; the browser's own as is.
    said = {p.url.rsplit("/", 1)[1]: page_error(p) for p in before.pages if p.error}
    assert [said[page] for page in ("redirect-loop", "tls.html")] == [
        errors["redirect_loop"],
        errors["tls"],
    ]
    assert said["500"] == text("page_error.http", status=500)
    # The page after the faulty ones still loaded and was read.
    ok = next(p for p in before.pages if p.url.endswith("/ok.html"))
    assert ok.title == "Fine"


def test_a_run_with_faults_stays_within_its_bounds(faults: Any) -> None:
    """The per-page timeout bounds the run, not the budget: each phase loads at most
    ceil(pages / concurrency) rounds of one timeout each, plus a browser start."""
    _, observations, elapsed = faults
    rounds = math.ceil(10 / 2)  # pages / concurrency of _settings
    bound = 3 * (rounds * TIMEOUT + patience(8))  # three phases; 8 s to start Chromium
    assert bound < BUDGET / 1.5
    assert elapsed < bound, f"{elapsed:.1f}s for a run the timeouts bound to {bound}s"
    assert all(phase.notes == [] for phase in observations.phases)


def test_the_budget_cuts_a_run_short_and_says_so(serve_site: Any, tmp_path: Path) -> None:
    server = serve_site("faults")
    # On a loaded machine, the budget and the page timeout stretch together: the first page
    # must still fit in a phase's third of the budget, the hanging page must not.
    budget, timeout = patience(15), patience(10)
    started = time.monotonic()
    settings = _settings(server, budget=budget, timeout=timeout, concurrency=1)
    observations = collect(settings, tmp_path)
    elapsed = time.monotonic() - started
    # Three phases, each with a third of the budget and a hanging page: the run ends on time
    # (plus the few seconds it takes to start and close a browser per phase).
    assert elapsed < budget + patience(2)  # a wall clock: browsers start and close within it
    notes = [note for phase in observations.phases for note in phase.notes]
    assert notes and all(n.startswith("time budget exhausted: ") for n in notes)
    # ... as sentences of ours, which a French report says in French
    assert all(isinstance(said_note(p, n), Text) for p in observations.phases for n in p.notes)
    assert [p.error_kind for p in observations.phases[0].pages][:1] == [None]


def test_unreachable_site_is_recorded_not_raised(tmp_path: Path, serve_site: Any) -> None:
    server = serve_site("faults")
    url = f"http://shop.test:{server.closed_port}/"
    observations = collect(_settings(server, url=url, consent_wait=1), tmp_path)
    for phase, visits in zip(
        observations.phases, (1, 2, 2), strict=True
    ):  # later phases: choice, revisit
        assert [(p.url, p.error_kind) for p in phase.pages] == [(url, "unreachable")] * visits
        assert phase.banner is not None and phase.banner.detected is False
        assert phase.banner.detail.startswith("banner not examined: ")


def test_a_meta_refresh_loop_keeps_to_the_budget_and_leaves_no_profile(
    serve_site: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: Any
) -> None:
    """Issue 9: a page reloading itself forever once ran 81-131 s on a 30 s budget."""
    server = serve_site("faults")
    # A short path: Chromium's own socket in it must fit a socket address (108 bytes).
    profiles = Path(tempfile.mkdtemp(prefix="pp-faults-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(profiles, ignore_errors=True))
    monkeypatch.setattr("tempfile.tempdir", str(profiles))
    monkeypatch.setenv("TMPDIR", str(profiles))  # the Playwright driver's temp folder too
    url = server.url("/refresh.html")
    started = time.monotonic()
    observations = collect(
        _settings(server, url=url, pages=1, timeout=5, budget=12), tmp_path / "out"
    )
    elapsed = time.monotonic() - started
    assert elapsed < 12 + patience(2)  # the budget, and closing Chromium on a loaded machine
    assert len(observations.phases) == 3
    assert [p.name for p in profiles.iterdir() if p.name.startswith("privacy-pages-")] == []
    # Nor the folder the Playwright driver made for the connection (a busy driver is stopped
    # before it removes it itself).
    assert [p.name for p in profiles.iterdir() if p.name.startswith("playwright-")] == []


def test_timeout_bounds_the_whole_visit_of_a_slow_landing_page(
    serve_site: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10: --timeout bounds each page, banner search and settle included. A landing
    page that takes 2 s to load, with a 3 s timeout and a 10 s banner search, is done 3 s
    after its navigation began (the search used to run on for seconds), without a fault.
    (--settle is a minimum dwell now: the default, until the page is quiet, is tested.)"""
    # The search runs to the timeout here, so everything after it (the photo, the look for
    # a late banner, reading down, reading the page and its storage) has only the visit's
    # `read` allowance left: about 1.5 s of its 3 s on a machine running this suite, more
    # than 3 s at times (a false "did not finish within 9 s"). It is stretched as the
    # timeout is; the bound asserted below still holds it.
    stretched = Timeouts(read=patience(Timeouts.read))
    monkeypatch.setattr(
        AuditSettings,
        "timeouts",
        property(lambda s: replace(stretched, banner=s.consent_wait, dwell=s.settle or 0.0)),
    )
    server = serve_site("faults")
    # A loaded machine stretches the timeout and the search alike: an unbounded search
    # (2 s + the search) always ends after the bound asserted (the timeout + 4 s).
    timeout, search = patience(3), patience(10)
    settings = _settings(
        server,
        url=server.url("/hang?s=2"),
        pages=1,
        timeout=timeout,
        consent_wait=search,
        settle=None,
    )
    observations = collect(settings, tmp_path)
    before = observations.phases[0]
    assert [(p.status, p.error) for p in before.pages] == [(200, None)]
    assert before.banner is not None and before.banner.detected is False
    # The phase: its context and tab (well under a second on a quiet machine, seconds on a
    # machine running six workers of this suite), then the page.
    bound = (timeout + patience(4)) * 1000
    assert bound < (2 + search) * 1000 and before.duration_ms < bound, before.duration_ms

"""What one phase's browser profile saw: cookies with where they came from, storage, requests.

The recorder listens to a browser context: its requests, the ``Set-Cookie`` lines of every
response (as the browser received them, Playwright's raw headers: a redirect's hops and the
responses of cross-site frames too), and a hook in every frame on ``document.cookie``,
``cookieStore.set`` and ``Storage.setItem`` (the script that wrote, from its stack); and to
each tab's issues (``Audits.issueAdded``: the Set-Cookie lines the browser refused for
where they came from, SameSite). The lines it refuses by the line alone (a bad domain or
prefix, ``Secure`` over HTTP, too long) are found by its own rules (`refusals`) and reported
when the cookie is indeed not in the jar. Cookie values are never kept.

Each cookie and storage key is credited to the page whose tab set it, from the event that
set it (the request's tab at the time it was sent, the frame that wrote): the profile's jar
is shared by the phase's tabs, so reading it after a visit would credit a page with what
the other tab's page set meanwhile. When pages of two tabs both set a name, the one first
in the crawl's order is credited, as a single tab visiting them in turn would credit it:
the same report with any ``--concurrency``, run after run. A storage key written as a
property (``localStorage.x = ...``) calls no method the hook could see: it is credited to
the page one of whose documents holds it new (not there when the document started, and
created by no other document since: the ``storage`` event names what the other tab created).
A name nothing explains (a service worker's write) keeps the page after whose visit it was
first read.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from privacy_audit.collect.domains import (
    Site,
    host_of,
    normalise_host,
    party_of,
    registrable_domain,
)
from privacy_audit.collect.refusals import refusal
from privacy_audit.frames import evaluate, loaded_frames
from privacy_audit.observations import (
    STORAGE_KINDS,
    CookieObservation,
    RequestObservation,
    StorageKind,
    StorageObservation,
)
from privacy_audit.resources import page_script
from privacy_audit.settings import Timeouts

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Request, Response, WebSocket

    from privacy_audit.collect.quiet import NetworkQuiet

WRITE_BINDING = "__privacyPagesWrite"
STORAGE_SEEN_KEY = 'Symbol.for("privacy-pages.storage-seen")'
"""Where the write hook keeps, on each frame's window, the storage keys there when its
document started, those set through setItem and those other documents created since, for
`STORAGE_SCRIPT`."""


def write_hook_script(horizon: float = Timeouts.late_tags) -> str:
    """Installed in every frame before the site's scripts: reports the name (never the value)
    of each cookie and storage key written, with the first script URL on the stack, and
    the page's one-shot timers of at most ``horizon`` seconds (a late tag's pending work)."""
    script = page_script("privacy_audit.collect", "scripts/write_hook.js")
    script = script.replace("STORAGE_SEEN_KEY", STORAGE_SEEN_KEY)
    return script.replace("BINDING", WRITE_BINDING).replace("HORIZON", str(round(horizon * 1000)))


STORAGE_SCRIPT = (
    page_script("privacy_audit.collect", "scripts/storage.js")
    .replace("STORAGE_SEEN_KEY", STORAGE_SEEN_KEY)
    .replace("EVENT_DELAY_MS", str(round(Timeouts.storage_event * 1000)))
)
"""The keys (never the values) of a frame's localStorage and sessionStorage, the names of
its IndexedDB databases, its origin, and the keys its document wrote (`STORAGE_SEEN_KEY`)."""

_DOMAIN_ATTRIBUTE = re.compile(r";\s*domain\s*=\s*([^;]+)", re.IGNORECASE)
CONSENT_PARAMS = ("gcs", "gcd", "npa", "dma")
"""Query parameters that carry a consent state, never an identifier: Google Consent Mode's
gcs (storage granted or denied) and gcd, npa (no personalised ads), dma (EU DMA flag)."""
_PARAM_VALUE = re.compile(r"^[A-Za-z0-9._~-]{1,32}$")


def consent_params(url: str) -> dict[str, str]:
    """The consent parameters of a request's query (`CONSENT_PARAMS`), well-formed only."""
    query = url.partition("?")[2].partition("#")[0]
    if not query:
        return {}
    found = {}
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name in CONSENT_PARAMS and _PARAM_VALUE.match(value):
            found.setdefault(name, value)
    return found


def strip_query(url: str) -> str:
    """The URL without query or fragment: they may carry identifiers."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url[:200]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def cookie_line_key(line: str, response_url: str) -> tuple[str, str]:
    """(name, domain) a ``Set-Cookie`` line sets; host-only cookies take the response's host."""
    name = line.split(";", 1)[0].split("=", 1)[0].strip()
    match = _DOMAIN_ATTRIBUTE.search(line)
    domain = normalise_host(match.group(1)) if match else host_of(response_url)
    return name, domain


def _add_params(request: RequestObservation, params: dict[str, str]) -> None:
    for name, value in params.items():
        values = request.consent_params.setdefault(name, [])
        if value not in values and len(values) < 8:
            values.append(value)
            values.sort()


def _lookup(table: dict[tuple[str, str], str], name: str, domain: str) -> str | None:
    """The entry of a cookie: its exact (name, domain), else the same name on the same site."""
    exact = table.get((name, normalise_host(domain)))
    if exact:
        return exact
    site = registrable_domain(domain)
    return next(
        (url for (n, d), url in table.items() if n == name and registrable_domain(d) == site),
        None,
    )


def _round_lifetime(seconds: float) -> float:
    """Seconds from first sight to expiry, to the minute for long-lived cookies.

    A cookie is read a moment after it was set; rounding keeps a 13-month cookie at 13
    months instead of 13 months less the few seconds the page took to settle.
    """
    seconds = max(0.0, seconds)
    return float(round(seconds / 60) * 60) if seconds >= 3600 else float(round(seconds))


@dataclass
class PhaseRecorder:
    site: Site  # the audited site's registrable domains; more may be learnt before `finish`
    cookies: dict[tuple[str, str, str], CookieObservation] = field(default_factory=dict)
    storage: dict[tuple[str, str, str], StorageObservation] = field(default_factory=dict)
    requests: dict[str, RequestObservation] = field(default_factory=dict)
    blocked_cookies: list[dict[str, Any]] = field(default_factory=list)
    page_urls: dict[Any, str] = field(default_factory=dict)
    activity: dict[Any, NetworkQuiet] = field(default_factory=dict)  # each tab's, by page
    notes: list[str] = field(default_factory=list)  # what could not be read, one line each
    _setters: dict[tuple[str, str], str] = field(default_factory=dict)
    # The tab's page when each request was sent (a redirect's hops are requests of their own)
    _request_pages: dict[Any, str] = field(default_factory=dict)
    # (order, (name, domain), page): each cookie write heard, in the order heard
    _cookie_credits: list[tuple[int, tuple[str, str], str]] = field(default_factory=list)
    _storage_credits: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # Keys a frame's document wrote with no event heard (a property): new there since it
    # started, and created by no other document meanwhile (`STORAGE_SEEN_KEY`).
    _storage_claims: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # Each page's place in the phase's visits: when two tabs' pages set the same name, the
    # page visited first is credited, as one tab visiting them in turn would credit it.
    _visit_rank: dict[str, int] = field(default_factory=dict)
    # Lines refused by the line alone (`refusals`): (name, domain), reason, address; kept
    # by `finish` when the cookie is indeed not in the jar.
    _refused: list[tuple[tuple[str, str], str, str]] = field(default_factory=list)
    _order: Any = field(default_factory=itertools.count)
    _pending: set[asyncio.Future[Any]] = field(default_factory=set)

    async def watch(self, context: BrowserContext) -> None:
        """Listen to every request, response of a cross-site frame and write in ``context``."""
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        await context.expose_binding(WRITE_BINDING, self._on_write)
        await context.add_init_script(script=write_hook_script())

    async def attach(self, page: Page, url: str, activity: NetworkQuiet | None = None) -> None:
        """Follow ``page``'s tab: what it sets is credited to ``url`` (then to each page
        `visiting` names), and the cookies the browser refuses it are heard."""
        self.page_urls[page] = url
        if activity is not None:
            self.activity[page] = activity
        page.on("websocket", lambda socket: self._on_websocket(page, socket))
        # The Audits domain says which Set-Cookie lines the browser refused, and why; it
        # sends an event per issue only, where the Network domain sends six per request.
        session = await page.context.new_cdp_session(page)
        session.on("Audits.issueAdded", self._on_issue)
        await session.send("Audits.enable")

    def visiting(self, page: Page, url: str) -> None:
        """``page``'s tab starts the visit of ``url``: what it sets from now is credited
        to ``url``."""
        self.page_urls[page] = url
        self.will_visit(url)

    def will_visit(self, url: str, rank: int | None = None) -> None:
        """``url`` is handed to a worker: its place in the crawl's order (``rank``, or
        next), whichever tab gets to it first."""
        self._visit_rank.setdefault(url, len(self._visit_rank) if rank is None else rank)

    def _credit_first(
        self, credits: dict[tuple[str, str, str], str], ident: tuple[str, str, str], page_url: str
    ) -> None:
        """Credit ``ident`` to ``page_url`` in ``credits`` unless a page earlier in the
        crawl's order has it already."""
        known = credits.get(ident)
        if known is None or self._rank(page_url) < self._rank(known):
            credits[ident] = page_url

    def _rank(self, page_url: str) -> int:
        return self._visit_rank.get(page_url, len(self._visit_rank))

    def detach(self, page: Page) -> None:
        """A tab closed: nothing more is credited to it."""
        self.page_urls.pop(page, None)
        self.activity.pop(page, None)

    def _page_url(self, page: Any) -> str:
        return self.page_urls.get(page) or getattr(page, "url", "") or ""

    async def flush(self, timeout: float) -> None:
        """Wait (``timeout`` at most) for the Set-Cookie lines of cross-site frames still
        being read; call before the context closes."""
        if self._pending and timeout > 0:
            await asyncio.wait(set(self._pending), timeout=timeout)

    def _on_request(self, request: Request) -> None:
        try:
            page_url = self._page_url(request.frame.page)
        except Exception:  # noqa: BLE001 - service worker requests have no frame: no page
            page_url = ""
        self._request_pages[request] = page_url
        self._third_party_request(request.url, request.resource_type, page_url)

    def _on_websocket(self, page: Page, socket: WebSocket) -> None:
        """A WebSocket the page opened (a chat, a session-replay or live-analytics stream):
        its handshake is a request to that host, which the request events do not carry."""
        self._third_party_request(socket.url, "websocket", self._page_url(page))
        if page in self.activity:
            self.activity[page].touch()

    def _third_party_request(self, url: str, resource_type: str, page_url: str) -> None:
        """Count a request to a third-party host (the first one seen is kept, with its page)."""
        host = host_of(url)
        if not host or url.startswith(("data:", "blob:")) or party_of(host, self.site) == "first":
            return
        params = consent_params(url)
        seen = self.requests.get(host)
        if seen is not None:
            seen.count += 1
            _add_params(seen, params)
            return
        self.requests[host] = RequestObservation(
            host=host,
            registrable_domain=registrable_domain(host),
            party="third",
            url=strip_query(url),
            resource_type=resource_type,
            count=1,
            page_url=strip_query(page_url),
        )
        _add_params(self.requests[host], params)

    def _on_response(self, response: Response) -> None:
        """A response (a redirect's too): its Set-Cookie lines, as the browser received them,
        credited to the page whose tab sent the request that began its chain."""
        try:
            page = response.frame.page
        except Exception:  # noqa: BLE001 - a service worker's response has no frame
            return
        first = response.request
        while first.redirected_from is not None:
            first = first.redirected_from
        page_url = self._request_pages.get(first) or self._page_url(page)
        order = next(self._order)
        task = asyncio.ensure_future(response.header_values("set-cookie"))
        self._pending.add(task)

        def done(task: asyncio.Future[list[str]]) -> None:
            self._pending.discard(task)
            if task.cancelled() or task.exception() is not None:
                return
            lines = [line for value in task.result() for line in value.split("\n") if line]
            address = strip_query(response.url)
            for line in lines:
                key = cookie_line_key(line, response.url)
                self._setters.setdefault(key, address)
                self._cookie_credits.append((order, key, page_url))
                reason = refusal(line, response.url)
                if reason:
                    self._refused.append((key, reason, address))
            if lines and page in self.activity:
                self.activity[page].wrote()

        task.add_done_callback(done)

    def _on_write(self, source: dict[str, Any], reports: Any) -> None:
        """The page hook's reports, a burst at a time (a list), each a cookie or storage key
        written or a short timer set."""
        for report in reports if isinstance(reports, list) else [reports]:
            self._on_report(source, report)

    def _on_report(self, source: dict[str, Any], report: Any) -> None:
        if not isinstance(report, dict):
            return
        page = source.get("page")
        activity = self.activity.get(page)
        kind = report.get("kind")
        if kind == "timer":
            if activity is not None:
                activity.expect(float(report.get("delay") or 0) / 1000)
            return
        if not report.get("name"):
            return
        if activity is not None:
            activity.wrote()
        page_url = self._page_url(page)
        if kind in STORAGE_KINDS:
            ident = (str(kind), str(report["name"]), str(report.get("origin") or ""))
            self._credit_first(self._storage_credits, ident, page_url)
            return
        key = (str(report["name"]), normalise_host(str(report.get("domain") or "")))
        self._cookie_credits.append((next(self._order), key, page_url))
        script = report.get("script")
        if script and key not in self._setters:
            self._setters[key] = strip_query(str(script))

    def _on_issue(self, event: dict[str, Any]) -> None:
        """A Set-Cookie line the browser refused (an issue of the Audits domain)."""
        issue = event.get("issue") or {}
        details = (issue.get("details") or {}).get("cookieIssueDetails") or {}
        reasons = details.get("cookieExclusionReasons") or []
        if issue.get("code") != "CookieIssue" or details.get("operation") != "SetCookie":
            return
        if not reasons:
            return  # a warning: the cookie was set
        cookie = details.get("cookie") or {}
        name = cookie.get("name") or str(details.get("rawCookieLine") or "").split(";", 1)[0]
        self.blocked_cookies.append(
            {
                "name": name.split("=", 1)[0].strip(),
                "reasons": [str(r).removeprefix("Exclude") for r in reasons],
                "url": strip_query(str((details.get("request") or {}).get("url") or "")),
            }
        )

    def set_by(self, name: str, domain: str) -> str | None:
        return _lookup(self._setters, name, domain)

    def first_credits(self) -> dict[tuple[str, str], str]:
        """Each cookie (name, domain) heard being set, to the first page visited that set it
        (the first heard, among writes of one page): the same with any ``--concurrency``."""
        first: dict[tuple[str, str], str] = {}
        heard = sorted(self._cookie_credits, key=lambda c: (self._rank(c[2]), c[0]))
        for _, key, page_url in heard:
            if page_url:
                first.setdefault(key, page_url)
        return first

    async def snapshot_cookies(self, context: BrowserContext, page_url: str) -> None:
        """Add cookies the profile holds now; the first page they were seen on stays."""
        now = time.time()
        for cookie in await context.cookies():
            key = (cookie["name"], cookie["domain"], cookie["path"])
            expires = float(cookie.get("expires", -1))
            session = expires <= 0
            lifetime = None if session else _round_lifetime(expires - now)
            known = self.cookies.get(key)
            if known is not None:
                known.session, known.lifetime_seconds = session, lifetime
                continue
            host = normalise_host(cookie["domain"])
            self.cookies[key] = CookieObservation(
                name=cookie["name"],
                domain=cookie["domain"],
                path=cookie["path"],
                session=session,
                lifetime_seconds=lifetime,
                http_only=bool(cookie.get("httpOnly")),
                secure=bool(cookie.get("secure")),
                same_site=str(cookie.get("sameSite", "")),
                party=party_of(host, self.site),  # type: ignore[arg-type]
                registrable_domain=registrable_domain(host),
                page_url=strip_query(page_url),
            )

    async def snapshot_storage(self, page: Page, page_url: str, timeout: float) -> None:
        """Keys (never values) of localStorage and sessionStorage, and the names of IndexedDB
        databases, in every frame of ``page`` that holds a document, each frame answering
        within ``timeout`` seconds."""
        for frame in loaded_frames(page):
            try:
                found = await evaluate(frame, STORAGE_SCRIPT, timeout=timeout)
            except Exception as error:  # noqa: BLE001 - a frame gone, busy or hostile: noted
                detail = " ".join(str(error).split())[:200] or "no answer in time"
                self.notes.append(f"{page_url}: storage of a frame not read: {detail}")
                continue
            origin = str(found.get("origin") or "")
            if not origin or origin == "null":
                continue
            party = party_of(host_of(origin), self.site)
            areas: tuple[tuple[StorageKind, Any], ...] = (
                ("local_storage", found.get("local")),
                ("session_storage", found.get("session")),
                ("indexed_db", found.get("indexed")),
            )
            own = found.get("own") or {}
            for kind, area in (("local_storage", "local"), ("session_storage", "session")):
                for key in own.get(area) or []:
                    self._credit_first(self._storage_claims, (kind, str(key), origin), page_url)
            for kind, keys in areas:
                for key in keys or []:
                    ident = (kind, str(key), origin)
                    if ident not in self.storage:
                        self.storage[ident] = StorageObservation(
                            kind=kind,
                            key=str(key),
                            origin=origin,
                            party=party,  # type: ignore[arg-type]
                            page_url=strip_query(page_url),
                        )

    def finish(
        self,
    ) -> tuple[list[CookieObservation], list[StorageObservation], list[RequestObservation]]:
        """Sorted observations, each cookie with the response or script that set it, each
        sorted into first or third party by the site's domains as known now (a domain the
        landing page led to may have joined since a cookie or request was seen)."""
        credits = self.first_credits()
        cookies = sorted(self.cookies.values(), key=lambda c: (c.name, c.domain, c.path))
        for cookie in cookies:
            cookie.party = party_of(normalise_host(cookie.domain), self.site)  # type: ignore[assignment]
            cookie.set_by_url = self.set_by(cookie.name, cookie.domain)
            credited = _lookup(credits, cookie.name, cookie.domain)
            if credited:
                cookie.page_url = strip_query(credited)
        for (kind, key, origin), item in self.storage.items():
            item.party = party_of(host_of(origin), self.site)  # type: ignore[assignment]
            ident = (kind, key, origin)
            credited = self._storage_credits.get(ident) or self._storage_claims.get(ident)
            if credited:
                item.page_url = strip_query(credited)
        held = {(c.name, normalise_host(c.domain)) for c in cookies}
        for key, reason, url in self._refused:
            if key not in held:
                self.blocked_cookies.append({"name": key[0], "reasons": [reason], "url": url})
        unique: dict[tuple[str, tuple[str, ...], str], dict[str, Any]] = {}
        for blocked in self.blocked_cookies:
            unique.setdefault((blocked["name"], tuple(blocked["reasons"]), blocked["url"]), blocked)
        self.blocked_cookies = sorted(unique.values(), key=lambda b: (b["name"], b["url"]))
        storage = sorted(self.storage.values(), key=lambda s: (s.kind, s.origin, s.key))
        requests = sorted(
            (r for r in self.requests.values() if party_of(r.host, self.site) != "first"),
            key=lambda r: r.host,
        )
        return cookies, storage, requests

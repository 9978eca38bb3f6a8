"""What one phase's browser profile saw: cookies with where they came from, storage, requests.

The recorder listens to a browser context (requests), to each page's DevTools session
(``Set-Cookie`` headers and cookies the browser refused, from
``Network.responseReceivedExtraInfo``) and to a hook on ``document.cookie`` (the script that
wrote a cookie, from its stack). Cookie values are never kept.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from privacy_audit.collect.domains import host_of, normalise_host, party_of, registrable_domain
from privacy_audit.observations import CookieObservation, RequestObservation, StorageObservation
from privacy_audit.resources import page_script

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Request

StorageKind = Literal["local_storage", "session_storage"]
COOKIE_BINDING = "__privacyPagesCookieWrite"

COOKIE_HOOK_SCRIPT = page_script("privacy_audit.collect", "scripts/cookie_hook.js")
"""Installed in every frame before the site's scripts: reports the name (never the value) of
each cookie written through document.cookie and the first script URL on the stack."""
STORAGE_SCRIPT = page_script("privacy_audit.collect", "scripts/storage.js")
"""The keys (never the values) of a frame's localStorage and sessionStorage, and its origin."""

_DOMAIN_ATTRIBUTE = re.compile(r";\s*domain\s*=\s*([^;]+)", re.IGNORECASE)


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


def _round_lifetime(seconds: float) -> float:
    """Seconds from first sight to expiry, to the minute for long-lived cookies.

    A cookie is read a moment after it was set; rounding keeps a 13-month cookie at 13
    months instead of 13 months less the few seconds the page took to settle.
    """
    seconds = max(0.0, seconds)
    return float(round(seconds / 60) * 60) if seconds >= 3600 else float(round(seconds))


@dataclass
class PhaseRecorder:
    site_domain: str
    cookies: dict[tuple[str, str, str], CookieObservation] = field(default_factory=dict)
    storage: dict[tuple[str, str, str], StorageObservation] = field(default_factory=dict)
    requests: dict[str, RequestObservation] = field(default_factory=dict)
    blocked_cookies: list[dict[str, Any]] = field(default_factory=list)
    page_urls: dict[Any, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what could not be read, one line each
    _setters: dict[tuple[str, str], str] = field(default_factory=dict)
    _request_urls: dict[str, str] = field(default_factory=dict)
    _set_cookie_lines: list[tuple[str, list[str]]] = field(default_factory=list)

    async def watch(self, context: BrowserContext) -> None:
        """Listen to every request and cookie write in ``context``."""
        context.on("request", self._on_request)
        await context.expose_binding(COOKIE_BINDING, self._on_cookie_write)
        await context.add_init_script(script=COOKIE_HOOK_SCRIPT)

    async def attach(self, page: Page, url: str) -> None:
        """Record ``page``'s Set-Cookie headers through its own DevTools session."""
        self.page_urls[page] = url
        session = await page.context.new_cdp_session(page)
        session.on("Network.requestWillBeSent", self._on_request_will_be_sent)
        session.on("Network.responseReceivedExtraInfo", self._on_extra_info)
        await session.send("Network.enable")

    def _page_url(self, page: Any) -> str:
        return self.page_urls.get(page) or getattr(page, "url", "") or ""

    def _on_request(self, request: Request) -> None:
        url = request.url
        host = host_of(url)
        if (
            not host
            or url.startswith(("data:", "blob:"))
            or party_of(host, self.site_domain) == "first"
        ):
            return
        seen = self.requests.get(host)
        if seen is not None:
            seen.count += 1
            return
        try:
            page_url = self._page_url(request.frame.page)
        except Exception:  # noqa: BLE001 - service worker requests have no frame: no page
            page_url = ""
        self.requests[host] = RequestObservation(
            host=host,
            registrable_domain=registrable_domain(host),
            party="third",
            url=strip_query(url),
            resource_type=request.resource_type,
            count=1,
            page_url=strip_query(page_url),
        )

    def _on_cookie_write(self, source: dict[str, Any], report: Any) -> None:
        if not isinstance(report, dict) or not report.get("name"):
            return
        key = (str(report["name"]), normalise_host(str(report.get("domain") or "")))
        script = report.get("script")
        if script and key not in self._setters:
            self._setters[key] = strip_query(str(script))

    def _on_request_will_be_sent(self, event: dict[str, Any]) -> None:
        request_id = event.get("requestId")
        if request_id and request_id not in self._request_urls:
            self._request_urls[request_id] = event.get("request", {}).get("url", "")

    def _on_extra_info(self, event: dict[str, Any]) -> None:
        request_id = str(event.get("requestId", ""))
        headers = event.get("headers") or {}
        lines = [
            line
            for name, value in headers.items()
            if name.lower() == "set-cookie"
            for line in str(value).split("\n")
            if line.strip()
        ]
        if lines:
            self._set_cookie_lines.append((request_id, lines))
        for blocked in event.get("blockedCookies") or []:
            line = blocked.get("cookieLine") or ""
            name = line.split(";", 1)[0].split("=", 1)[0].strip()
            self.blocked_cookies.append(
                {
                    "name": name,
                    "reasons": list(blocked.get("blockedReasons") or []),
                    "request_id": request_id,
                }
            )

    def _resolve_setters(self) -> None:
        for request_id, lines in self._set_cookie_lines:
            url = self._request_urls.get(request_id)
            if not url:
                continue
            for line in lines:
                key = cookie_line_key(line, url)
                self._setters.setdefault(key, strip_query(url))
        self._set_cookie_lines.clear()

    def set_by(self, name: str, domain: str) -> str | None:
        self._resolve_setters()
        exact = self._setters.get((name, normalise_host(domain)))
        if exact:
            return exact
        site = registrable_domain(domain)
        return next(
            (
                url
                for (n, d), url in self._setters.items()
                if n == name and registrable_domain(d) == site
            ),
            None,
        )

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
                party=party_of(host, self.site_domain),  # type: ignore[arg-type]
                registrable_domain=registrable_domain(host),
                page_url=strip_query(page_url),
            )

    async def snapshot_storage(self, page: Page, page_url: str) -> None:
        """Keys (never values) of localStorage and sessionStorage in every frame of ``page``."""
        for frame in list(page.frames):
            try:
                found = await frame.evaluate(STORAGE_SCRIPT)
            except Exception as error:  # noqa: BLE001 - a frame gone or hostile: noted
                detail = " ".join(str(error).split())[:200]
                self.notes.append(f"{page_url}: storage of a frame not read: {detail}")
                continue
            origin = str(found.get("origin") or "")
            if not origin or origin == "null":
                continue
            party = party_of(host_of(origin), self.site_domain)
            areas: tuple[tuple[StorageKind, Any], ...] = (
                ("local_storage", found.get("local")),
                ("session_storage", found.get("session")),
            )
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
        """Sorted observations, each cookie with the response or script that set it."""
        self._resolve_setters()
        cookies = sorted(self.cookies.values(), key=lambda c: (c.name, c.domain, c.path))
        for cookie in cookies:
            cookie.set_by_url = self.set_by(cookie.name, cookie.domain)
        unique: dict[tuple[str, tuple[str, ...], str], dict[str, Any]] = {}
        for blocked in self.blocked_cookies:
            url = strip_query(self._request_urls.get(blocked.pop("request_id", ""), ""))
            blocked["url"] = url
            unique.setdefault((blocked["name"], tuple(blocked["reasons"]), url), blocked)
        self.blocked_cookies = sorted(unique.values(), key=lambda b: (b["name"], b["url"]))
        storage = sorted(self.storage.values(), key=lambda s: (s.kind, s.origin, s.key))
        requests = sorted(self.requests.values(), key=lambda r: r.host)
        return cookies, storage, requests

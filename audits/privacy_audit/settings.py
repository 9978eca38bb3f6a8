"""Audit settings: one validated dataclass; errors name the option, the value, what is allowed."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

_HOST = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_AGENT_TAG = re.compile(r"^[\x21-\x7e][\x20-\x7e]{0,119}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


class SettingsError(ValueError):
    """One line: the option, the bad value and what is allowed."""


@dataclass(frozen=True)
class Timeouts:
    """Every wait of the crawler, in seconds, each with its reason. Nothing waits elsewhere.

    Waits end early on events (load, autoconsent's signals, controls appearing); these are
    the longest each may take, so the critical path is the pages' own load time.
    """

    banner: float = 3.0
    """One deadline for the banner after load: autoconsent's popupFound or nothingDetected,
    or refuse/accept controls found by text in any frame, end it earlier."""
    autoconsent_grace: float = 0.5
    """When the text scan finds a banner first, the time left to autoconsent to recognise
    its consent manager (whose opt-out handles every layer)."""
    banner_poll: float = 0.2
    """Interval of the text scan of every frame when nothing reports a change (changes
    inside shadow roots); a change of the page's DOM or a new frame wakes it at once."""
    dom_pause: float = 0.03
    """A burst of DOM changes is reported once it paused this long (a banner drawing
    itself element by element wakes the scan once)."""
    choice: float = 4.0
    """Autoconsent's opt-out or opt-in, or one click, to complete."""
    after_click: float = 0.5
    """A clicked banner hides within this (fade-outs included); looked at every
    ``click_poll``, so a banner that hides at once costs nothing."""
    click_poll: float = 0.05
    """Interval of the look at a clicked banner."""
    second_layer: float = 2.0
    """The settings layer ("Personnaliser") to show its refuse or save button."""
    settle: float = 1.0
    """Before a choice, at most: the consent manager finishes loading (a click before it
    listens is lost). Ends earlier once the tab's network has been ``quiet``."""
    late_tags: float = 5.0
    """After load or after a choice, at most: late tags set cookies, write storage and send
    beacons, some from a timer (session-replay tools start about 2.5 s after load; the
    EDPS collector waits 3 s after each load). One-shot timers of the page due within this
    are waited for; the wait ends earlier once the tab has been ``quiet`` with none pending.
    Measured on the late-tracker test site: 2.5 s timers caught, on a loaded machine too."""
    quiet: float = 0.3
    """No request of the tab in flight, started or ended, no cookie or storage written, for
    this long: its late scripts and beacons are done."""
    dwell: float = 0.0
    """After load or after a choice, at least (``--settle``): stay this long whatever the
    page does."""
    storage_event: float = 0.1
    """A storage key that a frame holds new, written as a property (no hook hears it), is
    that frame's own unless another document created it: that write reaches the frame as a
    ``storage`` event a moment later. When a frame holds such keys, its storage is looked
    at again after this long."""
    browse: float = 1.0
    """Reading down a page a screen at a time, at most (about 30 screens), after the
    visitor's first gesture: embeds loaded lazily below the fold load."""
    challenge: float = 10.0
    """A bot-protection page standing in for the site's (Cloudflare's "Just a moment...")
    to let the browser through: the services that do reload into the site within seconds;
    past this (or the page's time), the page is reported blocked."""
    challenge_poll: float = 0.25
    """Interval of the look at a bot-protection page, until it has let the browser through."""
    read: float = 3.0
    """Reading links, storage, forms or cookies of a page that may be stuck loading."""
    start: float = 30.0
    """Chromium to start and listen on its debugging port (a loaded CI machine)."""
    start_poll: float = 0.05
    """Interval of the look for the port file Chromium writes once it listens."""
    tab: float = 10.0
    """A new tab to open in a window of its own (`windows`)."""
    close: float = 5.0
    """The browser, a phase's context or a tab to close cleanly (the browser is then
    killed by process id)."""
    terminate: float = 1.0
    """A terminated browser process to exit before it is killed."""
    exit_poll: float = 0.05
    """Interval of the look at a closing browser's process, until it has exited."""
    withdraw: float = 0.1
    """Consent managers draw their "manage cookies" icon after the choice (on top of
    ``after_click``, already waited)."""


# Share of the budget kept to close browsers and write reports: the budget is a wall clock.
BUDGET_RESERVE = 0.1


@dataclass(frozen=True, kw_only=True)
class CrawlSettings:
    """How to crawl any site, validated once for every site of a run (`for_site` adds the URL)."""

    pages: int = 10
    timeout: float = 30.0  # seconds per page
    budget: float = 600.0  # seconds for the whole run, all phases
    concurrency: int = 2
    settle: float | None = None  # at least, after each load (Timeouts.dwell); None: until quiet
    consent_wait: float = 3.0  # the one deadline to find the banner (Timeouts.banner)
    resolve: dict[str, str] = field(default_factory=dict)
    ignore_https_errors: bool = False
    browser: str | None = None
    user_agent_tag: str | None = None  # appended to the browser's User-Agent
    # How the browser presents itself, as the client's visitors' do: its language (fr-FR:
    # navigator.language, Accept-Language) and time zone (--timezone, checked with the
    # report's options); None: the controller's (`privacy_audit.visitor`).
    locale: str | None = None
    timezone: str | None = None

    def __post_init__(self) -> None:
        if self.user_agent_tag is not None and not _AGENT_TAG.match(self.user_agent_tag):
            raise SettingsError(
                f"--user-agent-tag: {self.user_agent_tag!r} is not a User-Agent token; use 1 "
                "to 120 printable ASCII characters, e.g. 'AgencyAudit/1.0 (+https://agency.example/)'"
            )
        if self.locale is not None and not _LOCALE.match(self.locale):
            raise SettingsError(
                f"--locale: {self.locale!r} is not a language tag; use a language and a country, "
                "e.g. fr-FR"
            )
        _check_range("--pages", self.pages, 1, 10_000)
        _check_range("--timeout", self.timeout, 1, 3600)
        _check_range("--budget", self.budget, 5, 7 * 24 * 3600)
        _check_range("--concurrency", self.concurrency, 1, 16)
        if self.settle is not None:
            _check_range("--settle", self.settle, 0, 60)
        _check_range("consent_wait", self.consent_wait, 0, 120)

    def for_site(self, url: str) -> AuditSettings:
        """These settings for the site at ``url``; a bad URL raises `SettingsError`."""
        values = {item.name: getattr(self, item.name) for item in fields(CrawlSettings)}
        return AuditSettings(url=url, **values)

    @property
    def timeouts(self) -> Timeouts:
        """The waits, with the two the user may tune (--settle, --consent-wait) applied."""
        return Timeouts(banner=self.consent_wait, dwell=self.settle or 0.0)


@dataclass(frozen=True, kw_only=True)
class AuditSettings(CrawlSettings):
    """The settings of one site's audit: its URL and how to crawl it."""

    url: str

    def __post_init__(self) -> None:
        _check_url(self.url)
        super().__post_init__()

    def to_dict(self) -> dict[str, Any]:
        """As ``observations.json`` records them: the URL first."""
        values = asdict(self)
        return {"url": values.pop("url"), **values}


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # "http://[::1" and other malformed hosts
        parts, hostname = None, None
    if parts is None or parts.scheme not in ("http", "https") or not hostname:
        raise SettingsError(
            f"--url: {url!r} is not an http(s) URL; give one like https://www.example.com/"
        )


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise SettingsError(f"{name}: {value!r} is out of range; allowed {low} to {high}")


def parse_resolve(values: list[str] | None) -> dict[str, str]:
    """``HOST=IP`` options to a map; a ``*.`` wildcard host is allowed, as in Chromium's rules."""
    result: dict[str, str] = {}
    for raw in values or []:
        host, sep, ip = raw.partition("=")
        host = host.strip().lower()
        if not sep or not _HOST.match(host):
            raise SettingsError(
                f"--resolve: {raw!r} is not HOST=IP; write it like shop.example=127.0.0.1"
            )
        try:
            ipaddress.ip_address(ip.strip())
        except ValueError:
            raise SettingsError(
                f"--resolve: {ip.strip()!r} in {raw!r} is not an IP address"
            ) from None
        result[host] = ip.strip()
    return result

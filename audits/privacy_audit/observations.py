"""What a crawl saw, phase by phase: the versioned artifact between `collect` and `inspect`.

`collect` writes it, `inspect` reads it without a browser. Cookie values are never
recorded: they can be personal data.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from privacy_audit.i18n import Text, sayable, text_from_data

OBSERVATIONS_VERSION = 1

Phase = Literal["before-consent", "after-reject", "after-accept"]
Party = Literal["first", "third"]


@dataclass
class CookieObservation:
    name: str
    domain: str
    path: str
    session: bool
    lifetime_seconds: float | None  # None for session cookies; from first sight to expiry
    http_only: bool
    secure: bool
    same_site: str
    party: Party
    registrable_domain: str
    page_url: str  # first page of the phase on which it was seen
    set_by_url: str | None = None  # response (Set-Cookie) or script URL, when the browser tells


StorageKind = Literal["local_storage", "session_storage", "indexed_db"]
"""Where a site stores on the device besides cookies: an IndexedDB database is named by its name."""
STORAGE_KINDS: tuple[str, ...] = get_args(StorageKind)


@dataclass
class StorageObservation:
    kind: StorageKind
    key: str
    origin: str
    party: Party
    page_url: str


@dataclass
class RequestObservation:
    host: str
    registrable_domain: str
    party: Party
    url: str  # first URL seen for this host, query string removed
    resource_type: str
    count: int
    page_url: str
    # Added by collect (optional): consent signals the requests carried in their query
    # (Google Consent Mode's gcs, npa...), each value seen, sorted; never identifiers.
    consent_params: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class PageVisit:
    url: str
    final_url: str | None
    status: int | None
    title: str | None
    load_ms: float | None
    error: str | None = None  # one line: what went wrong on this page
    error_kind: str | None = None  # unreachable, tls, http, redirect_loop, timeout, crash,
    # budget, blocked, other
    screenshot: str | None = None  # path relative to the report directory
    links_privacy_page: bool | None = None
    # Added by collect (optional): http: actions of forms asking for personal data.
    insecure_forms: list[str] = field(default_factory=list)
    # Added by collect (optional): the error as a catalogue sentence (`Text.to_data`) when it
    # is one of ours, so a report can say it in its language; None for the browser's own
    # messages (net::ERR_..., said as they are) and in files written before it.
    error_text: dict[str, Any] | None = None


@dataclass
class BannerResult:
    detected: bool
    action: Literal["none", "reject", "accept"]
    method: Literal["autoconsent", "text-fallback", "none"]
    cmp: str | None = None  # consent manager name, when known
    succeeded: bool = False
    reject_option_found: bool | None = None
    detail: str = ""  # in English, for JSON and the terminal
    # Added by collect (optional): the detail as a catalogue sentence (`Text.to_data`), so a
    # report can say it in its language; None in files written before it.
    detail_text: dict[str, Any] | None = None
    # Added by collect (optional): after the choice, a link or button that reopens the
    # banner (a "Manage cookies" link) was found on the page; None when not looked for.
    withdraw_option_found: bool | None = None
    # Added by collect (optional): clicks the choice took (a second layer counts), and the
    # labels clicked in order, so refusal and acceptance can be compared.
    clicks: int | None = None
    clicked: list[str] = field(default_factory=list)
    # Added by collect (optional): the choices as measured on screen, by kind (refuse,
    # accept, pay): {label, width, height, font_size, font_weight, contrast, element}.
    controls: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Added by collect (optional): a paid way out instead of a free refusal (a pay-or-accept
    # wall), {offer, price}; labels read as two choices at once, none clicked.
    wall: dict[str, Any] | None = None
    undecided: list[str] = field(default_factory=list)


@dataclass
class PhaseObservations:
    phase: Phase
    pages: list[PageVisit] = field(default_factory=list)
    cookies: list[CookieObservation] = field(default_factory=list)
    storage: list[StorageObservation] = field(default_factory=list)
    requests: list[RequestObservation] = field(default_factory=list)
    banner: BannerResult | None = None
    # Added by collect (optional, default empty): cookies the browser refused to store, each
    # {name, reasons, url} (CDP blockedReasons such as SameSiteNoneInsecure), what cut the
    # phase short (budget), and how long the phase took.
    blocked_cookies: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_ms: float | None = None
    # Added by collect (optional): the notes of ours kept as catalogue sentences
    # (`Text.to_data`), by their English text, so a report can say them in its language.
    note_texts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Added by collect (optional): pages found but not visited because the time budget ran
    # out (the phase stopped counts its unvisited pages too).
    skipped: int = 0


def described(sentence: Text) -> dict[str, Any]:
    """A banner's detail in English and as a sentence: ``BannerResult(..., **described(t))``."""
    return {"detail": sentence.render(), "detail_text": sentence.to_data()}


def banner_detail(banner: BannerResult) -> Text | str:
    """The banner's detail as a sentence to say in any language; the English string as it is
    for a file without a sentence, or whose sentence does not say its detail in English."""
    sentence = text_from_data(banner.detail_text)
    if sentence is None or not sayable(sentence) or sentence.render() != banner.detail:
        return banner.detail
    return sentence


def set_error(visit: PageVisit, error: Text | str, kind: str) -> None:
    """What went wrong on a page: in English as ``visit.error``, and as a sentence to say in
    any language when it is one of ours (a `Text`); the browser's own messages are strings."""
    if isinstance(error, Text):
        visit.error, visit.error_text = error.render(), error.to_data()
    else:
        visit.error, visit.error_text = error, None
    visit.error_kind = kind


def clear_error(visit: PageVisit) -> None:
    """The page is fine after all (a bot-protection challenge let the browser through)."""
    visit.error = visit.error_kind = visit.error_text = None


def page_error(visit: PageVisit) -> Text | str:
    """The page's error as a sentence to say in any language when it is one of ours; else the
    English string as it is (the browser's messages, files written before sentences)."""
    sentence = text_from_data(visit.error_text)
    if sentence is None or not sayable(sentence) or sentence.render() != visit.error:
        return visit.error or ""
    return sentence


def add_note(phase: PhaseObservations, sentence: Text) -> None:
    """A note of ours: in English among the notes, and as a sentence to say in any language."""
    english = sentence.render()
    phase.notes.append(english)
    phase.note_texts[english] = sentence.to_data()


def said_note(phase: PhaseObservations, note: str) -> Text | str:
    """A note as a sentence to say in any language, when it is one of ours; else as it is."""
    sentence = text_from_data(phase.note_texts.get(note))
    if sentence is None or not sayable(sentence) or sentence.render() != note:
        return note
    return sentence


def banner_failed(phase: PhaseObservations) -> bool:
    """The phase had to refuse or accept, a banner was there, and the click did not work."""
    banner = phase.banner
    return (
        banner is not None and banner.action != "none" and banner.detected and not banner.succeeded
    )


def phase_observed(phase: PhaseObservations) -> bool:
    """Whether at least one page of the phase answered (a status code, even an error one)."""
    return any(page.status is not None for page in phase.pages)


REFUSING_STATUSES = frozenset({401, 403, 407, 429})
"""A landing page's answers that refuse the visitor (a login asked, access denied, too many
requests): the site's pages were never shown."""


def landing_failed(phase: PhaseObservations) -> bool:
    """Whether the phase's landing page failed: it did not load, or its server refused the
    visitor or failed (5xx): a site down, behind a login or refusing the audit, not the site's
    page. A page not found (404, 410) is still a page the site draws, with its tags."""
    landing = phase.pages[0] if phase.pages else None
    if landing is None or not landing.error:
        return False
    status = landing.status or 0
    return landing.error_kind != "http" or status >= 500 or status in REFUSING_STATUSES


@dataclass
class Observations:
    target_url: str
    site_domain: str  # registrable domain of the target (eTLD+1)
    started_at: str
    finished_at: str
    browser: dict[str, str]
    settings: dict[str, Any]
    phases: list[PhaseObservations]
    version: int = OBSERVATIONS_VERSION
    # Added by collect (optional): the landing page in a fresh profile whose banner was
    # closed with its close control (×), then reloaded: {closed, label, page_url, cookies,
    # storage, hosts, notes}; names only. None when not run.
    close_probe: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Observations:
        phases = []
        for raw in data["phases"]:
            banner = raw.get("banner")
            phases.append(
                PhaseObservations(
                    phase=raw["phase"],
                    pages=[PageVisit(**p) for p in raw.get("pages", [])],
                    cookies=[CookieObservation(**c) for c in raw.get("cookies", [])],
                    storage=[StorageObservation(**s) for s in raw.get("storage", [])],
                    requests=[RequestObservation(**r) for r in raw.get("requests", [])],
                    banner=BannerResult(**banner) if banner else None,
                    blocked_cookies=list(raw.get("blocked_cookies", [])),
                    notes=list(raw.get("notes", [])),
                    duration_ms=raw.get("duration_ms"),
                    note_texts=dict(raw.get("note_texts") or {}),
                    skipped=int(raw.get("skipped") or 0),
                )
            )
        fields = {k: v for k, v in data.items() if k != "phases"}
        return cls(phases=phases, **fields)

    @classmethod
    def from_json(cls, text: str) -> Observations:
        return cls.from_dict(json.loads(text))

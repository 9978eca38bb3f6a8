"""The controller's declared cookie list, read for the audit: matching and consent resolution.

An observed name matches a declared tracker of the same type by exact name, or by prefix
for ``match: prefix`` (the longest prefix wins). Whether a tracker needs consent: its own
``consent_required``, else ``exempt_audience_measurement`` (no consent), else its category's
``consent_required``, else false for ``strictly_necessary`` and true for every other kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from privacy_pages.durations import parse_duration

from privacy_pages.knowledge import KnowledgeBase, KnownCookie

STORAGE_TYPES = ("cookie", "local_storage", "session_storage")


@dataclass(frozen=True)
class Category:
    id: str
    kind: str
    consent_required: bool


@dataclass(frozen=True)
class DeclaredTracker:
    index: int  # position in cookies.trackers, for pointers
    name: str
    match: str
    type: str
    category_id: str | None
    category: Category | None
    provider: str | None
    lifetime: str | None
    consent_override: bool | None
    exempt_audience_measurement: bool
    recipient: str | None
    domain: str = ""

    @property
    def pointer(self) -> str:
        return f"/cookies/trackers/{self.index}"

    def matches(self, name: str, kind: str) -> bool:
        if self.type not in (kind, "other"):
            return False
        if self.match == "prefix":
            return name.startswith(self.name)
        return name == self.name

    @property
    def needs_consent(self) -> bool | None:
        """Whether it needs consent; None when neither it nor its category tells."""
        if self.consent_override is not None:
            return self.consent_override
        if self.exempt_audience_measurement:
            return False
        if self.category is not None:
            return self.category.consent_required
        return None

    @property
    def lifetime_days(self) -> float | None:
        duration = parse_duration(self.lifetime or "")
        return duration.approx_days if duration else None

    @property
    def declared_session(self) -> bool | None:
        if self.lifetime == "session":
            return True
        if self.lifetime_days is not None:
            return False
        return None


@dataclass(frozen=True)
class Recipient:
    id: str
    name: str
    hosts: tuple[str, ...]


@dataclass
class Declaration:
    categories: dict[str, Category] = field(default_factory=dict)
    trackers: list[DeclaredTracker] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    consent_manager: str | None = None
    website: str | None = None

    def find(self, name: str, kind: str) -> DeclaredTracker | None:
        """The declared tracker for an observed name: exact first, then the longest prefix."""
        exact = [t for t in self.trackers if t.match != "prefix" and t.matches(name, kind)]
        if exact:
            return exact[0]
        prefixes = [t for t in self.trackers if t.match == "prefix" and t.matches(name, kind)]
        if prefixes:
            return max(prefixes, key=lambda t: len(t.name))
        return None

    def recipient_for_host(self, host: str, registrable_domain: str) -> Recipient | None:
        host = host.lower()
        for recipient in self.recipients:
            for declared in recipient.hosts:
                declared = declared.lower()
                if host == declared or host.endswith("." + declared):
                    return recipient
                if registrable_domain.lower() == declared:
                    return recipient
        return None

    def only_exempt(self, recipient: Recipient) -> bool:
        """Whether the recipient receives data only from trackers declared free of consent."""
        trackers = [t for t in self.trackers if t.recipient == recipient.id]
        return bool(trackers) and all(t.needs_consent is False for t in trackers)

    def consent_hosts(self) -> dict[str, str]:
        """Hosts of recipients receiving data from a tracker that needs consent, to their name."""
        by_id = {r.id: r for r in self.recipients}
        hosts: dict[str, str] = {}
        for tracker in self.trackers:
            recipient = by_id.get(tracker.recipient or "")
            if recipient and tracker.needs_consent:
                for host in recipient.hosts:
                    hosts.setdefault(host.lower(), recipient.name)
        return hosts


def read_declaration(controller_data: Mapping[str, Any] | None) -> Declaration:
    """The audit's view of a validated controller document (``None`` gives an empty one)."""
    data = controller_data or {}
    cookies = data.get("cookies") or {}
    declaration = Declaration(website=data.get("website"))
    manager = cookies.get("consent_manager") or {}
    declaration.consent_manager = manager.get("name")
    for raw in cookies.get("categories") or ():
        kind = raw.get("kind", "other")
        consent = raw.get("consent_required")
        if consent is None:
            consent = kind != "strictly_necessary"
        declaration.categories[raw["id"]] = Category(raw["id"], kind, bool(consent))
    for index, raw in enumerate(cookies.get("trackers") or ()):
        category_id = raw.get("category")
        declaration.trackers.append(
            DeclaredTracker(
                index=index,
                name=raw["name"],
                match=raw.get("match", "exact"),
                type=raw.get("type", "cookie"),
                category_id=category_id,
                category=declaration.categories.get(category_id or ""),
                provider=raw.get("provider"),
                lifetime=raw.get("lifetime"),
                consent_override=raw.get("consent_required"),
                exempt_audience_measurement=bool(raw.get("exempt_audience_measurement")),
                recipient=raw.get("recipient"),
                domain=raw.get("domain") or "",
            )
        )
    for raw in data.get("recipients") or ():
        declaration.recipients.append(
            Recipient(
                raw["id"], _plain_text(raw.get("name")) or raw["id"], tuple(raw.get("hosts") or ())
            )
        )
    return declaration


def needs_consent(tracker: DeclaredTracker | None, known: KnownCookie | None) -> bool | None:
    """Whether an observed cookie or key needs consent; None when nothing tells.

    A consent manager's own record of the choice is strictly necessary. A declared tracker
    without a category falls back on the knowledge base.
    """
    if tracker is not None:
        declared = tracker.needs_consent
        if declared is not None:
            return declared
    if known is None:
        return None
    if known.consent_manager:
        return False
    return known.category != "strictly_necessary"


def known_entry(knowledge: KnowledgeBase | None, name: str, kind: str) -> KnownCookie | None:
    return knowledge.lookup(name, kind) if knowledge is not None else None


def _plain_text(value: Any) -> str:
    """A text field that is either a string or a language map, as one string."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        for text in value.values():
            if isinstance(text, str):
                return text
    return ""

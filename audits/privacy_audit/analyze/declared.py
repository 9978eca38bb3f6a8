"""The controller's declared cookie list, read for the audit: matching and consent resolution.

Every fact comes from the one controller model (`privacy_pages.model`): a declared tracker
is the model's `Tracker` (its matching by exact name or ``match: prefix``, its consent
reading). Here: finding the declared tracker for an observed name (exact first, then the
longest prefix), and the recipients behind third-party hosts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from privacy_audit.observations import STORAGE_KINDS
from privacy_pages.model import Controller, Tracker
from privacy_pages.model.knowledge import KnowledgeBase, KnownCookie

STORAGE_TYPES = ("cookie", *STORAGE_KINDS)

DeclaredTracker: TypeAlias = Tracker


@dataclass(frozen=True)
class Recipient:
    id: str
    name: str
    hosts: tuple[str, ...]


@dataclass
class Declaration:
    """The declared trackers and the recipients behind them."""

    trackers: list[Tracker] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)

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


def read_declaration(controller_data: Mapping[str, Any] | Controller | None) -> Declaration:
    """The audit's view of a validated controller (``None`` gives an empty one)."""
    model = (
        controller_data
        if isinstance(controller_data, Controller)
        else Controller(controller_data or {})
    )
    return Declaration(
        trackers=list(model.trackers),
        recipients=[
            Recipient(rid, _plain_text(item.get("name")) or rid, tuple(item.get("hosts") or ()))
            for rid, item in model.recipients.items()
        ],
    )


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

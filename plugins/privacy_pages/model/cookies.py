"""Cookie categories and trackers, and the one reading of whether a tracker needs consent.

Two answers are kept apart on purpose:

* ``stated_consent`` is what the file says (the tracker's own ``consent_required``, its
  ``exempt_audience_measurement``, or its category's explicit ``consent_required``). Pages
  print only this; a file that never says it prints no consent status.
* ``needs_consent`` is the law's reading used by `check` and the audit: the statement when
  there is one, else the category's kind (strictly necessary trackers are exempt, every
  other kind needs consent), else unknown (``None``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from privacy_pages.model.base import Item
from privacy_pages.model.durations import parse_duration

TRACKER_TYPE_DEFAULT = "cookie"
MATCH_DEFAULT = "exact"
STRICTLY_NECESSARY = "strictly_necessary"


@dataclass(frozen=True)
class CookieCategory(Item):
    """One entry of ``cookies.categories``."""

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    @property
    def kind(self) -> str | None:
        """The category's kind, or None when the file does not say."""
        kind = self.data.get("kind")
        return str(kind) if kind else None

    @property
    def purpose(self) -> Any:
        """What the category's trackers are for: its description, unless its kind is
        ``other`` (a group of trackers "being classified" shares no purpose)."""
        if self.kind == "other":
            return None
        return self.data.get("description") or None

    @property
    def stated_consent(self) -> bool | None:
        """The category's own ``consent_required``; None when the file is silent."""
        value = self.data.get("consent_required")
        return bool(value) if value is not None else None

    @property
    def needs_consent(self) -> bool | None:
        """The law's reading: the statement, else by kind, else unknown."""
        if self.stated_consent is not None:
            return self.stated_consent
        if self.kind is None:
            return None
        return self.kind != STRICTLY_NECESSARY


@dataclass(frozen=True)
class Tracker(Item):
    """One entry of ``cookies.trackers``, with its category resolved."""

    index: int = 0
    category: CookieCategory | None = None

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "")

    @property
    def label(self) -> str:
        """How messages name it: its name, else its provider (declared by provider alone)."""
        return self.name or str(self.data.get("provider") or "") or f"#{self.index + 1}"

    @property
    def match(self) -> str:
        return str(self.data.get("match") or MATCH_DEFAULT)

    @property
    def type(self) -> str:
        return str(self.data.get("type") or TRACKER_TYPE_DEFAULT)

    @property
    def category_id(self) -> str | None:
        value = self.data.get("category")
        return str(value) if value else None

    @property
    def provider(self) -> str | None:
        return self.data.get("provider") or None

    @property
    def recipient(self) -> str | None:
        return self.data.get("recipient") or None

    @property
    def domain(self) -> str:
        return str(self.data.get("domain") or "")

    @property
    def lifetime(self) -> str | None:
        value = self.data.get("lifetime")
        return str(value) if value else None

    @property
    def lifetime_text(self) -> Any:
        """The lifetime in the document's words, when it is no fixed duration (prose)."""
        return self.data.get("lifetime_text") or None

    @property
    def states_lifetime(self) -> bool:
        """A lifetime is stated, as a duration, ``session`` or in words."""
        return bool(self.lifetime or self.lifetime_text)

    @property
    def purpose(self) -> Any:
        """What the tracker is for: its own purpose, else its category's (prose), or None."""
        own = self.data.get("purpose")
        if own:
            return own
        return self.category.purpose if self.category is not None else None

    @property
    def names_issuer(self) -> bool:
        """Who places it is stated: the site itself (first party), a provider or a domain."""
        return bool(self.provider or self.domain or self.data.get("party") == "first")

    @property
    def exempt_audience_measurement(self) -> bool:
        return bool(self.data.get("exempt_audience_measurement"))

    @property
    def stated_consent(self) -> bool | None:
        """What the file says of consent for this tracker; None when it says nothing."""
        own = self.data.get("consent_required")
        if own is not None:
            return bool(own)
        if self.exempt_audience_measurement:
            return False
        if self.category is not None:
            return self.category.stated_consent
        return None

    @property
    def needs_consent(self) -> bool | None:
        """The law's reading: the statement, else the category's kind, else unknown."""
        stated = self.stated_consent
        if stated is not None:
            return stated
        if self.category is not None:
            return self.category.needs_consent
        return None

    @property
    def consent_shown(self) -> bool | None:
        """Whether consent is needed, as a page may print it from what the file states: the
        statement, else the category's legal basis (consent or exempt), else its kind
        (strictly necessary, or a kind that needs consent); None when none of them says."""
        stated = self.stated_consent
        if stated is not None:
            return stated
        category = self.category
        if category is None:
            return None
        basis = category.get("legal_basis")
        if basis in ("consent", "exempt"):
            return basis == "consent"
        if category.kind in (None, "other"):
            return None
        return category.kind != STRICTLY_NECESSARY

    @property
    def lifetime_days(self) -> float | None:
        duration = parse_duration(self.lifetime or "")
        return duration.approx_days if duration else None

    @property
    def declared_session(self) -> bool | None:
        """True for a session cookie, False for a dated one, None when unstated."""
        if self.lifetime == "session":
            return True
        if self.lifetime_days is not None:
            return False
        return None

    def covers_vendor(self, vendor: str | None) -> bool:
        """A tracker declared by provider alone ("we use Google Analytics") covers what a
        knowledge base attributes to that provider."""
        provider = (self.provider or "").casefold()
        return (
            not self.name
            and bool(provider)
            and bool(vendor)
            and (provider in str(vendor).casefold() or str(vendor).casefold() in provider)
        )

    def matches(self, name: str, kind: str) -> bool:
        """Whether an observed cookie or storage key of ``kind`` is this tracker (a tracker
        declared by its provider alone names no cookie, so it matches none by name)."""
        if not self.name or self.type not in (kind, "other"):
            return False
        if self.match == "prefix":
            return name.startswith(self.name)
        return name == self.name


def read_categories(raw: Any) -> dict[str, CookieCategory]:
    """Categories by id, in the file's order."""
    entries = raw if isinstance(raw, list) else []
    categories: dict[str, CookieCategory] = {}
    for index, entry in enumerate(entries):
        if isinstance(entry, Mapping):
            category = CookieCategory(f"/cookies/categories/{index}", entry)
            categories.setdefault(category.id, category)
    return categories


def read_trackers(raw: Any, categories: Mapping[str, CookieCategory]) -> tuple[Tracker, ...]:
    entries = raw if isinstance(raw, list) else []
    return tuple(
        Tracker(
            f"/cookies/trackers/{index}",
            entry,
            index=index,
            category=categories.get(str(entry.get("category") or "")),
        )
        for index, entry in enumerate(entries)
        if isinstance(entry, Mapping)
    )

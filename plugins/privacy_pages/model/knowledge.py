"""Known cookies and tracking hosts: who sets a cookie, what it is for, where trackers call home.

Shared by `check` (known trackers declared necessary) and `audit` (naming and classifying
what a crawl observed), so it lives in the core, never in the crawler package.

Two sources: a small curated list shipped as data (``data/known_trackers.yaml``) and any
file in the Open Cookie Database CSV format the user gives by path or http(s) URL. The
curated list is consulted first for a name both know, because it carries our kinds and
marks consent managers' own cookies, which the Open Cookie Database files as "Functional";
a controller that disagrees with either says so in its own declaration, which always wins.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from privacy_pages.data_yaml import load_yaml
from privacy_pages.model.durations import parse_duration

KINDS = ("strictly_necessary", "functional", "analytics", "advertising", "social_media", "other")
"""The category kinds of the controller schema."""

OCD_CATEGORIES = {
    "necessary": "strictly_necessary",
    "security": "strictly_necessary",
    "functional": "functional",
    "personalization": "functional",
    "preferences": "functional",
    "analytics": "analytics",
    "statistics": "analytics",
    "marketing": "advertising",
    "advertising": "advertising",
    "social media": "social_media",
}
"""Open Cookie Database categories to our kinds; anything else is ``other``."""

OCD_NAME = "Cookie / Data Key name"
OCD_REQUIRED = (OCD_NAME, "Category")
MAX_SOURCE_BYTES = 20 * 1024 * 1024
_RETENTION = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(second|sec|minute|min|hour|day|week|month|year)s?\b", re.IGNORECASE
)
_UNIT_DAYS = {
    "second": 1 / 86400,
    "sec": 1 / 86400,
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "month": 30.4375,
    "year": 365.25,
}

CookieType = Literal["cookie", "local_storage", "session_storage", "any"]


class KnowledgeError(Exception):
    """A knowledge source cannot be read; the message is one line naming the source."""


@dataclass(frozen=True)
class KnownCookie:
    name: str
    match: Literal["exact", "prefix", "pattern"]
    vendor: str
    category: str  # one of KINDS
    lifetime: str = ""  # as the source says it
    lifetime_days: float | None = None  # None when session or unknown
    session: bool | None = None  # None when unknown
    consent_manager: bool = False
    type: CookieType = "any"
    source: str = "built-in"

    def applies_to(self, kind: str) -> bool:
        return self.type == "any" or self.type == kind


@dataclass(frozen=True)
class KnownHost:
    domain: str
    vendor: str
    category: str


@dataclass(frozen=True)
class KnownVendor:
    name: str
    category: str


_COMPANY_SUFFIXES = frozenset({"inc", "ltd", "llc", "sa", "sas", "sarl", "gmbh", "corp", "co"})


def vendor_key(name: str) -> str:
    """A vendor's name compared loosely: case, punctuation and company suffixes aside
    ("Twitter Inc." and "twitter" are one key)."""
    words = re.sub(r"[^\w]+", " ", name.casefold()).split()
    while words and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass
class KnowledgeBase:
    """Lookup of known cookies (exact name, then longest prefix) and tracking hosts."""

    exact: dict[str, list[KnownCookie]] = field(default_factory=dict)
    prefixes: list[KnownCookie] = field(default_factory=list)
    patterns: list[KnownCookie] = field(default_factory=list)
    hosts: dict[str, KnownHost] = field(default_factory=dict)
    vendors: dict[str, KnownVendor] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def add(self, cookie: KnownCookie) -> None:
        if cookie.match == "pattern":
            self.patterns.append(cookie)
        elif cookie.match == "prefix":
            self.prefixes.append(cookie)
            # Stable sort: longest prefix first, earlier sources first among equals.
            self.prefixes.sort(key=lambda c: -len(c.name))
        else:
            self.exact.setdefault(cookie.name, []).append(cookie)

    def add_host(self, host: KnownHost) -> None:
        self.hosts.setdefault(host.domain.lower(), host)

    def add_vendor(self, vendor: KnownVendor, aliases: Iterable[str] = ()) -> None:
        for name in (vendor.name, *aliases):
            self.vendors.setdefault(vendor_key(name), vendor)

    def lookup(self, name: str, kind: str = "cookie") -> KnownCookie | None:
        """The entry for an observed name: exact name first, then the longest prefix, then a
        pattern."""
        for entry in self.exact.get(name, ()):
            if entry.applies_to(kind):
                return entry
        for entry in self.prefixes:
            if name.startswith(entry.name) and entry.applies_to(kind):
                return entry
        for entry in self.patterns:
            if fnmatch.fnmatchcase(name, entry.name) and entry.applies_to(kind):
                return entry
        return None

    def vendor(self, name: str) -> KnownVendor | None:
        """The vendor a provider's name designates ("Meta Platforms, Inc." is Meta), by its
        name or one of its aliases; None for names the list does not know."""
        return self.vendors.get(vendor_key(name)) if name else None

    def host(self, hostname: str) -> KnownHost | None:
        """The known tracking host for ``hostname`` or any domain above it."""
        labels = hostname.lower().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            found = self.hosts.get(".".join(labels[i:]))
            if found:
                return found
        return None

    def __len__(self) -> int:
        return sum(len(v) for v in self.exact.values()) + len(self.prefixes) + len(self.patterns)


def load_knowledge(sources: Iterable[str | Path] = (), *, builtin: bool = True) -> KnowledgeBase:
    """The built-in list, then each Open Cookie Database CSV (path or http(s) URL) in order."""
    base = KnowledgeBase()
    if builtin:
        text = (
            resources.files("privacy_pages")
            .joinpath("data/known_trackers.yaml")
            .read_text(encoding="utf-8")
        )
        _add_builtin(base, load_yaml(text))
        base.sources.append("built-in")
    for source in sources:
        label = str(source)
        text = _read_source(label)
        _add_ocd(base, text, label)
        base.sources.append(label)
    return base


def parse_retention(text: str) -> tuple[float | None, bool | None]:
    """(days, session) from the free text of a retention column ("1 year", "Session", "13 Months")."""
    lowered = (text or "").strip().lower()
    if not lowered:
        return None, None
    if "session" in lowered:
        return None, True
    iso = parse_duration(text.strip().upper())
    if iso is not None:
        return iso.approx_days, False
    match = _RETENTION.match(lowered)
    if match:
        amount = float(match.group(1).replace(",", "."))
        return amount * _UNIT_DAYS[match.group(2).lower()], False
    return None, None


def _add_builtin(base: KnowledgeBase, data: dict[str, Any]) -> None:
    for vendor in data["vendors"]:
        category = vendor["category"]
        base.add_vendor(KnownVendor(vendor["vendor"], category), vendor.get("aliases") or ())
        for host in vendor.get("hosts") or ():
            base.add_host(KnownHost(host, vendor["vendor"], category))
        for raw in vendor.get("cookies") or ():
            lifetime = raw.get("lifetime", "")
            days, session = parse_retention(lifetime)
            base.add(
                KnownCookie(
                    name=raw["name"],
                    match=raw.get("match", "exact"),
                    vendor=vendor["vendor"],
                    category=raw.get("category", category),
                    lifetime=lifetime,
                    lifetime_days=days,
                    session=session,
                    consent_manager=bool(raw.get("consent_manager", False)),
                    type=raw.get("type", "cookie"),
                )
            )


def _add_ocd(base: KnowledgeBase, text: str, label: str) -> None:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in OCD_REQUIRED if c not in columns]
    if missing:
        raise KnowledgeError(
            f"{label}: not an Open Cookie Database CSV (missing column "
            f"{', '.join(repr(c) for c in missing)}); expected a header like "
            f"'ID,Platform,Category,{OCD_NAME},Domain,Description,Retention period,"
            "Data Controller,User Privacy & GDPR Rights Portals,Wildcard match'"
        )
    for row in reader:
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        name = row.get(OCD_NAME, "")
        if not name:
            continue
        retention = row.get("Retention period", "")
        days, session = parse_retention(retention)
        base.add(
            KnownCookie(
                name=name,
                match="prefix" if row.get("Wildcard match", "0") == "1" else "exact",
                vendor=row.get("Platform") or row.get("Data Controller") or "unknown",
                category=OCD_CATEGORIES.get(row.get("Category", "").lower(), "other"),
                lifetime=retention,
                lifetime_days=days,
                session=session,
                source=label,
            )
        )


def _read_source(label: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*://", label, re.IGNORECASE):
        if not label.lower().startswith(("http://", "https://")):
            raise KnowledgeError(f"{label}: only http(s) URLs or file paths can be read")
        try:
            with urllib.request.urlopen(label, timeout=30) as response:
                data = response.read(MAX_SOURCE_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(error, urllib.error.HTTPError):
                reason = f"HTTP {error.code} {error.reason}"
                error.close()
            raise KnowledgeError(
                f"{label}: cannot download the cookie database ({reason})"
            ) from None
    else:
        path = Path(label)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_SOURCE_BYTES + 1)
        except OSError as error:
            raise KnowledgeError(
                f"{label}: cannot read the cookie database ({error.strerror or error})"
            ) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise KnowledgeError(f"{label}: larger than {MAX_SOURCE_BYTES // 1024 // 1024} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise KnowledgeError(
            f"{label}: not UTF-8 text (byte {error.start}); save the CSV as UTF-8"
        ) from None

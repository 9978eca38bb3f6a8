"""The legal sources every rule, page sentence and audit finding cites, and the law on a date.

One registry, read once from ``sources.yaml`` beside this module. A source is one article of
one text in one version, with the days it is in force, where to read it, when a person last
read it against the rules, and its kind: binding law, authority guidance or good practice.
Rules cite sources by key (``"gdpr-13"``), optionally with a pinpoint (``"gdpr-13#(1)(a)"``
reads "GDPR Art. 13(1)(a)"); a key the registry does not hold is refused at import.

`Law` is the law in force on one day: `check --as-of`, the pages and `audit --as-of` all read
it, so one date decides which version of a rule, of a sentence or of a finding applies.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from privacy_pages.data_yaml import load_yaml
from privacy_pages.diagnostics import Severity

SOURCES_FILE = "sources.yaml"
REVIEW_INTERVAL_DAYS = 365
"""A source read longer ago than this is due for a new reading (tests/check/test_sources.py)."""
_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_POINT = re.compile(r"^[^;#\n]{1,60}$")


class SourceKind(enum.Enum):
    """How much a source binds; it caps the severity of the rules that cite it."""

    BINDING = "binding"
    GUIDANCE = "guidance"
    GOOD_PRACTICE = "good_practice"

    @property
    def ceiling(self) -> Severity:
        """The highest severity a rule may have on the strength of this kind of source."""
        return {
            SourceKind.BINDING: Severity.ERROR,
            SourceKind.GUIDANCE: Severity.WARNING,
            SourceKind.GOOD_PRACTICE: Severity.INFO,
        }[self]

    @property
    def label(self) -> str:
        return {
            SourceKind.BINDING: "binding law",
            SourceKind.GUIDANCE: "authority guidance",
            SourceKind.GOOD_PRACTICE: "good practice",
        }[self]


class SourceError(ValueError):
    """The registry file is wrong, or a citation names no registered source (one line)."""


@dataclass(frozen=True)
class LegalSource:
    """One article of one text, in one version."""

    key: str
    text: str  # the text's full title
    short: str  # how citations name the text ("GDPR", "C. consom.")
    article: str  # "Art. 13", "L.223-2"; empty for guidance cited as a whole
    version: str
    url: str
    reviewed: datetime.date
    kind: SourceKind
    in_force_from: datetime.date | None = None
    in_force_until: datetime.date | None = None  # the last day in force
    note: str = ""
    short_fr: str = ""  # how a French text names it, when not as ``short`` ("RGPD")

    @property
    def label(self) -> str:
        """ "GDPR Art. 13", "C. consom. L.223-2", "CNIL guidelines 2020-091"."""
        return f"{self.short} {self.article}".strip()

    def label_in(self, lang: str) -> str:
        """The label as a report in ``lang`` writes it ("RGPD art. 13" in French)."""
        if lang.split("-")[0] != "fr":
            return self.label
        article = self.article.replace("Art. ", "art. ")
        return f"{self.short_fr or self.short} {article}".strip()

    def in_force_on(self, day: datetime.date) -> bool:
        if self.in_force_from is not None and day < self.in_force_from:
            return False
        return self.in_force_until is None or day <= self.in_force_until

    @property
    def period(self) -> str:
        """When it applies, in words ("" when always, for what we check)."""
        start, end = self.in_force_from, self.in_force_until
        if start and end:
            return f"in force {start.isoformat()} to {end.isoformat()}"
        if start:
            return f"in force from {start.isoformat()}"
        if end:
            return f"in force until {end.isoformat()}"
        return ""

    def review_due(self, today: datetime.date) -> bool:
        return (today - self.reviewed).days > REVIEW_INTERVAL_DAYS


@dataclass(frozen=True)
class Citation:
    """A source as a rule cites it, with an optional pinpoint ("(1)(a)", "art. 5")."""

    source: LegalSource
    point: str = ""

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def label(self) -> str:
        """ "GDPR Art. 13(1)(a)"; a pinpoint on a text cited as a whole follows a comma."""
        return self.label_in("en")

    def label_in(self, lang: str) -> str:
        """The label as a report in ``lang`` writes it ("RGPD art. 13(1)(a)")."""
        label, point = self.source.label_in(lang), self.point
        if not point:
            return label
        if not self.source.article:
            return f"{label}, {point}"
        return f"{label}{point}" if point.startswith("(") else f"{label} {point}"

    @property
    def spec(self) -> str:
        return f"{self.key}#{self.point}" if self.point else self.key


class SourceRegistry:
    """The sources by key, in the file's order."""

    def __init__(self, sources: Iterable[LegalSource]) -> None:
        self._by_key: dict[str, LegalSource] = {}
        for source in sources:
            if source.key in self._by_key:
                raise SourceError(f"legal source {source.key!r} is registered twice")
            self._by_key[source.key] = source

    def get(self, key: str) -> LegalSource:
        try:
            return self._by_key[key]
        except KeyError:
            raise SourceError(
                f"unknown legal source {key!r}; `privacy-pages rules --sources` lists them"
            ) from None

    def cite(self, spec: str) -> Citation:
        """``"gdpr-13#(1)(a)"`` -> the citation; an unknown key or a bad pinpoint refused."""
        key, _, point = spec.partition("#")
        source = self.get(key.strip())
        point = point.strip()
        if point and not _POINT.match(point):
            raise SourceError(f"citation {spec!r}: the pinpoint after '#' is one short phrase")
        return Citation(source, point)

    def cite_all(self, specs: Iterable[str]) -> tuple[Citation, ...]:
        return tuple(self.cite(spec) for spec in specs)

    def __iter__(self) -> Iterator[LegalSource]:
        return iter(list(self._by_key.values()))

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)


def _date(value: Any, where: str) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    raise SourceError(f"{SOURCES_FILE}: {where} must be a date written YYYY-MM-DD")


def _read(tree: Mapping[str, Any]) -> list[LegalSource]:
    texts = tree.get("texts") or {}
    sources = []
    for key, entry in (tree.get("sources") or {}).items():
        if not _KEY.match(str(key)):
            raise SourceError(f"{SOURCES_FILE}: source key {key!r} must be kebab-case")
        text = texts.get(entry.get("text"))
        if text is None:
            raise SourceError(
                f"{SOURCES_FILE}: source {key} names unknown text {entry.get('text')!r}"
            )
        merged = {**text, **entry}
        try:
            kind = SourceKind(merged["kind"])
        except (KeyError, ValueError):
            raise SourceError(f"{SOURCES_FILE}: source {key} has no valid kind") from None
        reviewed = _date(merged.get("reviewed"), f"{key}.reviewed")
        if reviewed is None:
            raise SourceError(f"{SOURCES_FILE}: source {key} has no review date")
        sources.append(
            LegalSource(
                key=str(key),
                text=str(merged["title"]),
                short=str(merged["short"]),
                article=str(merged.get("article") or ""),
                version=str(merged.get("version") or ""),
                url=str(merged["url"]),
                reviewed=reviewed,
                kind=kind,
                in_force_from=_date(merged.get("in_force_from"), f"{key}.in_force_from"),
                in_force_until=_date(merged.get("in_force_until"), f"{key}.in_force_until"),
                note=str(merged.get("note") or ""),
                short_fr=str(merged.get("short_fr") or ""),
            )
        )
    return sources


@functools.cache
def load_sources() -> SourceRegistry:
    """The registry shipped with the package, read once."""
    text = resources.files(__package__).joinpath(SOURCES_FILE).read_text(encoding="utf-8")
    return SourceRegistry(_read(load_yaml(text) or {}))


SOURCES = load_sources()


def parse_day(text: str) -> datetime.date:
    """``YYYY-MM-DD`` as given to ``--as-of``; ``ValueError`` is one line."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2026-08-11") from None


@dataclass(frozen=True)
class Law:
    """The law in force on one day, as rules, pages and the audit read it."""

    as_of: datetime.date

    @classmethod
    def today(cls) -> Law:
        return cls(datetime.date.today())

    @classmethod
    def on(cls, day: datetime.date | None) -> Law:
        """The law on ``day``, or today when no day is given."""
        return cls(day) if day is not None else cls.today()

    def in_force(self, key: str) -> bool:
        """Whether source ``key`` applies on this day (unknown keys refused)."""
        return SOURCES.get(key).in_force_on(self.as_of)

    def in_force_all(self, citations: Iterable[Citation]) -> bool:
        return all(c.source.in_force_on(self.as_of) for c in citations)

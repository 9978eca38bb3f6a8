"""Processing activities, their retention rules with the scope each applies to, and transfers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from privacy_pages.model.base import Item, Stated
from privacy_pages.model.texts import (
    is_vague_criteria,
    marketing_channels_named,
    mentions_marketing,
    mentions_phone,
    mentions_sales,
)


@dataclass(frozen=True)
class RetentionRule(Item):
    """One retention rule: of an activity, or general (top-level ``retention``)."""

    @property
    def applies_to(self) -> Any:
        """The part of the data the rule is limited to (prose), or None for all of it."""
        return self.data.get("applies_to") or None

    @property
    def activity_ids(self) -> tuple[str, ...]:
        """For a general rule: the activities it covers, when the file names them."""
        return tuple(str(a) for a in self.data.get("activities") or ())

    @property
    def is_vague(self) -> bool:
        """No duration, no ending event, and criteria absent or only "as long as necessary"."""
        if self.data.get("duration") or self.data.get("until"):
            return False
        criteria = self.data.get("criteria")
        return not criteria or is_vague_criteria(criteria)


@dataclass(frozen=True)
class AutomatedDecisions(Item):
    """What an activity's ``automated_decisions`` states: decisions and profiling apart."""

    @property
    def decisions(self) -> Stated:
        """Art. 22 decisions based solely on automated processing."""
        return Stated.read(self.data.get("exists"))

    @property
    def profiling(self) -> Stated:
        return Stated.read(self.data.get("profiling"))


@dataclass(frozen=True)
class DirectMarketing(Item):
    """An activity's ``direct_marketing``: channels, audience, the customer exception."""

    @property
    def channels(self) -> frozenset[str]:
        return frozenset(str(c) for c in self.data.get("channels") or ())

    @property
    def audience(self) -> str | None:
        """``consumers``, ``professionals``, ``both``; None when unstated."""
        value = self.data.get("audience")
        return str(value) if value else None

    @property
    def reaches_consumers(self) -> bool:
        """Consumers may receive the messages: stated, or not excluded."""
        return self.audience != "professionals"

    @property
    def existing_customers(self) -> bool:
        """Only customers, about similar products (CPCE L.34-5 al. 4)."""
        return bool(self.data.get("existing_customers"))

    @property
    def current_contract(self) -> bool:
        """Calls only to consumers with a contract in progress, about offers related to it
        (C. consom. L.223-1, as rewritten in 2025)."""
        return bool(self.data.get("current_contract"))

    @property
    def open_tracking(self) -> str | None:
        """Whether messages track their opening: ``none``, ``aggregate``, ``individual``."""
        value = self.data.get("open_tracking")
        return str(value) if value else None


@dataclass(frozen=True)
class Activity(Item):
    """One processing activity, with every retention rule that covers it."""

    retention_rules: tuple[RetentionRule, ...] = ()
    general_retention: tuple[RetentionRule, ...] = field(default=())

    @property
    def id(self) -> str:
        return str(self.data.get("id") or "")

    @property
    def legal_bases(self) -> tuple[str, ...]:
        return tuple(self.data.get("legal_bases") or ())

    @property
    def collected_from_person(self) -> bool:
        """Data come from the person (Art. 13), the default, or also from them (``mixed``)."""
        return self.data.get("source", "data_subject") in ("data_subject", "mixed")

    @property
    def direct_marketing(self) -> DirectMarketing | None:
        raw = self.data.get("direct_marketing")
        return (
            DirectMarketing(self.at("direct_marketing"), raw) if isinstance(raw, Mapping) else None
        )

    @property
    def purposes(self) -> tuple[Any, ...]:
        raw = self.data.get("purposes")
        return tuple(raw) if isinstance(raw, list) else ()

    @property
    def is_direct_marketing(self) -> bool:
        """Declared ``direct_marketing``, or an id, title or purpose that says marketing
        ("Vous envoyer par e-mail nos offres commerciales")."""
        if self.direct_marketing is not None:
            return True
        return any(
            mentions_marketing(value) for value in (self.id, self.data.get("title"), *self.purposes)
        )

    @property
    def marketing_channels(self) -> frozenset[str]:
        """The channels its marketing goes through: declared, else those its marketing
        purposes name (an e-mail or a newsletter, an SMS, a call)."""
        marketing = self.direct_marketing
        if marketing is not None and marketing.channels:
            return marketing.channels
        channels: frozenset[str] = frozenset()
        for value in (self.data.get("title"), *self.purposes):
            if mentions_marketing(value):
                channels |= marketing_channels_named(value)
        return channels

    @property
    def speaks_of_sales(self) -> bool:
        """Its title or purposes speak of orders, payment, delivery or bookings."""
        return any(mentions_sales(v) for v in (self.id, self.data.get("title"), *self.purposes))

    @property
    def collects_phone_numbers(self) -> bool:
        """A data category names a phone number, or marketing goes by phone or SMS."""
        marketing = self.direct_marketing
        if marketing is not None and marketing.channels & {"phone", "sms"}:
            return True
        return any(mentions_phone(c) for c in self.data.get("data_categories") or ())

    @property
    def automated_decisions(self) -> AutomatedDecisions | None:
        raw = self.data.get("automated_decisions")
        return AutomatedDecisions(self.at("automated_decisions"), raw) if raw else None

    @property
    def all_retention(self) -> tuple[RetentionRule, ...]:
        """Its own rules, then the general rules that name it."""
        return self.retention_rules + self.general_retention


@dataclass(frozen=True)
class Transfers(Item):
    """The ``transfers`` section, with the tri-state answer to "outside the EEA?"."""

    @property
    def outside_eea(self) -> Stated:
        return Stated.read(self.data.get("outside_eea"))

    @property
    def copy(self) -> Any:
        """How to obtain a copy of the safeguards, for every transfer (prose), or None."""
        return self.data.get("copy") or None

    @property
    def destinations(self) -> tuple[Item, ...]:
        raw = self.data.get("destinations") or ()
        return tuple(
            Item(self.at(f"destinations/{i}"), d)
            for i, d in enumerate(raw)
            if isinstance(d, Mapping)
        )


def read_retention(raw: Any, pointer: str) -> tuple[RetentionRule, ...]:
    entries = raw if isinstance(raw, list) else []
    return tuple(
        RetentionRule(f"{pointer}/{i}", rule)
        for i, rule in enumerate(entries)
        if isinstance(rule, Mapping)
    )


def read_activities(raw: Any, general: tuple[RetentionRule, ...]) -> tuple[Activity, ...]:
    entries = raw if isinstance(raw, list) else []
    activities = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue
        pointer = f"/processing/{index}"
        activity_id = str(entry.get("id") or "")
        activities.append(
            Activity(
                pointer,
                entry,
                retention_rules=read_retention(entry.get("retention"), f"{pointer}/retention"),
                general_retention=tuple(r for r in general if activity_id in r.activity_ids),
            )
        )
    return tuple(activities)

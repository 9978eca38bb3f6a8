"""Processing activities, their retention rules with the scope each applies to, and transfers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .base import Item, Stated


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
    def destinations(self) -> tuple[Item, ...]:
        raw = self.data.get("destinations") or ()
        return tuple(
            Item(self.at(f"destinations/{i}"), d) for i, d in enumerate(raw) if isinstance(d, Mapping)
        )


def read_retention(raw: Any, pointer: str) -> tuple[RetentionRule, ...]:
    entries = raw if isinstance(raw, list) else []
    return tuple(
        RetentionRule(f"{pointer}/{i}", rule) for i, rule in enumerate(entries) if isinstance(rule, Mapping)
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

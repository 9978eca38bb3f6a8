"""What every finding family shares: the context findings are added to, cookies and
storage seen across phases, and the words findings are written with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from privacy_audit import PHASES
from privacy_audit.analyze.declared import Declaration
from privacy_audit.findings import Finding, Subject
from privacy_audit.i18n import FALLBACK, Text, has_text, text
from privacy_audit.observations import (
    STORAGE_KINDS,
    CookieObservation,
    Observations,
    PhaseObservations,
    StorageObservation,
    banner_failed,
)
from privacy_audit.rules import RULES
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.model.knowledge import KnowledgeBase, KnownCookie
from privacy_pages.rules.sources import Law


@dataclass
class Context:
    """One inspection: what it reads (observations, declaration, knowledge base, severities)
    and the findings the families add to it."""

    observations: Observations
    declaration: Declaration
    knowledge: KnowledgeBase
    severities: dict[str, Severity]
    findings: list[Finding] = field(default_factory=list)
    tracking_domains: dict[str, Text] | None = None
    law: Law = field(default_factory=Law.today)  # rules apply while their sources do

    def add(
        self,
        rule_id: str,
        url: str,
        message: Text,
        *,
        phase: str | None,
        phases: Iterable[str] = (),
        subject: Subject | None = None,
        vendor: str | None = None,
        hint: Text | None = None,
        pointer: str = "",
        at_most: Severity | None = None,
        details: dict[str, str] | None = None,
        whatever_the_state: bool = False,
    ) -> None:
        """Add a finding; ``whatever_the_state`` for one about the banner itself, which a
        failed choice does not make doubtful (a wall found by clicking "Refuser")."""
        rule = RULES.get(rule_id)
        if not rule.applies_on(self.law.as_of):
            return  # the law it enforces is not in force on the day audited for
        severity = self.severities[rule_id]
        if at_most is not None and severity > at_most:
            severity = at_most
        diagnostic = Diagnostic(
            rule=rule_id,
            severity=severity,
            path=url,
            line=0,
            column=0,
            message=message.render(),
            pointer=pointer,
            hint=hint.render() if hint is not None else "",
            name=rule.name,
        )
        seen = tuple(p for p in PHASES if p in set(phases)) or ((phase,) if phase else ())
        established = whatever_the_state or not seen or any(p not in self.unsettled for p in seen)
        self.findings.append(
            Finding(
                diagnostic,
                phase,
                seen,
                subject,
                vendor,
                tuple((details or {}).items()),
                established=established,
                text=message,
                hint_text=hint,
            )
        )

    @property
    def unsettled(self) -> frozenset[str]:
        """Phases whose banner action failed: what they saw is not the state they name."""
        return frozenset(p.phase for p in self.observations.phases if banner_failed(p))

    def phase(self, name: str) -> PhaseObservations | None:
        return next((p for p in self.observations.phases if p.phase == name), None)

    @property
    def target(self) -> str:
        return self.observations.target_url


@dataclass
class Seen:
    """One cookie or storage key across phases."""

    first: CookieObservation | StorageObservation
    phases: list[str] = field(default_factory=list)
    max_lifetime_days: float | None = None
    any_persistent: bool = False
    all_session: bool = True


def collect_seen(context: Context) -> dict[tuple[str, str, str], Seen]:
    """Every cookie (kind, name, domain) and storage key (kind, key, origin) across phases."""
    seen: dict[tuple[str, str, str], Seen] = {}
    for phase in ordered_phases(context):
        for cookie in sorted_cookies(phase):
            entry = seen.setdefault(("cookie", cookie.name, cookie.domain), Seen(cookie))
            if phase.phase not in entry.phases:
                entry.phases.append(phase.phase)
            if cookie.session or cookie.lifetime_seconds is None:
                continue
            entry.all_session = False
            entry.any_persistent = True
            days = cookie.lifetime_seconds / 86400
            if entry.max_lifetime_days is None or days > entry.max_lifetime_days:
                entry.max_lifetime_days = days
        for item in sorted_storage(phase):
            entry = seen.setdefault((item.kind, item.key, item.origin), Seen(item))
            if phase.phase not in entry.phases:
                entry.phases.append(phase.phase)
    return seen


def sorted_cookies(phase: PhaseObservations) -> list[CookieObservation]:
    """Cookies in a stable order, so that the result does not depend on the recording's."""
    return sorted(phase.cookies, key=lambda c: (c.name, c.domain, c.path, c.page_url))


def sorted_storage(phase: PhaseObservations) -> list[StorageObservation]:
    return sorted(phase.storage, key=lambda s: (s.kind, s.key, s.origin, s.page_url))


def ordered_phases(context: Context) -> list[PhaseObservations]:
    order = {name: index for index, name in enumerate(PHASES)}
    return sorted(context.observations.phases, key=lambda p: order.get(p.phase, len(order)))


def first_page(context: Context, phase: PhaseObservations) -> str:
    return phase.pages[0].url if phase.pages else context.target


def kind_label(known: KnownCookie) -> Text:
    return text("kind.consent_manager" if known.consent_manager else f"kind.{known.category}")


def known_text(section: str, value: str) -> Text | str:
    """A value of the crawler's vocabulary said in the report's language, if we know it."""
    key = f"{section}.{value}"
    return text(key) if has_text(key, FALLBACK) else value


def phase_names(phases: Iterable[str]) -> list[Text]:
    """Phases named inside a sentence, in the report's language."""
    return [text(f"phase_name.{phase}") for phase in phases]


def storage_label(kind: str) -> str:
    return {
        "local_storage": "localStorage",
        "session_storage": "sessionStorage",
        "indexed_db": "IndexedDB",
    }.get(kind, kind)


def subject_kind(tracker_type: str) -> str:
    return tracker_type if tracker_type in STORAGE_KINDS else "cookie"


def duration_text(days: float) -> Text:
    if days < 1:
        return text("message.hours", n=f"{days * 24:.0f}")
    return text("message.days", n=f"{days:.0f}")

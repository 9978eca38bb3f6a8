"""One audit finding: the shared `Diagnostic` located at a URL, plus the phase and what it is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from privacy_audit import PHASES
from privacy_audit.observations import STORAGE_KINDS
from privacy_pages.diagnostics import Diagnostic, ExitCode, Severity

SubjectKind = Literal[
    "cookie", "local_storage", "session_storage", "indexed_db", "host", "banner", "page", "site"
]


@dataclass(frozen=True)
class Subject:
    """What a finding is about: a cookie (name, domain), a storage key (name, origin), a host."""

    kind: SubjectKind
    name: str
    domain: str = ""

    def to_dict(self) -> dict[str, str]:
        if self.kind == "cookie":
            return {"name": self.name, "domain": self.domain}
        if self.kind in STORAGE_KINDS:
            return {"kind": self.kind, "key": self.name, "origin": self.domain}
        return {"name": self.name}


@dataclass(frozen=True)
class Finding:
    """A `Diagnostic` whose path is a URL (line = column = 0), seen in one or more phases.

    ``phase`` is the first phase the problem was seen in, ``None`` for problems of the
    declaration itself (a cookie declared twice, never observed); ``phases`` lists every
    phase it was seen in.
    """

    diagnostic: Diagnostic
    phase: str | None
    phases: tuple[str, ...] = ()
    subject: Subject | None = None
    vendor: str | None = None
    details: tuple[tuple[str, str], ...] = field(default=())
    # False when every phase it was seen in failed its banner action: the state the phase
    # names (refused, accepted) was never reached, so the finding is not established.
    established: bool = True
    # The message and the hint as sentences of the catalogue, to say them in the report's
    # language (`i18n.Text`); ``message`` and ``hint`` hold their English.
    text: Any = field(default=None, compare=False)
    hint_text: Any = field(default=None, compare=False)

    @property
    def rule(self) -> str:
        return self.diagnostic.rule

    @property
    def name(self) -> str:
        return self.diagnostic.name

    @property
    def severity(self) -> Severity:
        return self.diagnostic.severity

    @property
    def suppressed(self) -> bool:
        return self.diagnostic.suppressed_by is not None

    @property
    def url(self) -> str:
        return self.diagnostic.path

    @property
    def message(self) -> str:
        return self.diagnostic.message

    @property
    def hint(self) -> str:
        return self.diagnostic.hint

    @property
    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        phase_index = PHASES.index(self.phase) if self.phase in PHASES else -1
        subject = self.subject
        return (
            phase_index,
            self.rule,
            subject.name if subject else "",
            subject.domain if subject else "",
            self.url,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        """The finding as the JSON report writes it (see schemas/audit-report.schema.json)."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "phase": self.phase,
            "phases": list(self.phases),
            "url": self.url,
        }
        sources = _sources(self.rule)
        if sources:
            data["sources"] = sources
        if self.hint:
            data["hint"] = self.hint
        if self.vendor:
            data["vendor"] = self.vendor
        subject = self.subject
        if subject is not None:
            if subject.kind == "cookie":
                data["cookie"] = subject.to_dict()
            elif subject.kind in STORAGE_KINDS:
                data["storage"] = subject.to_dict()
            elif subject.kind == "host":
                data["host"] = subject.name
        if self.details:
            data["details"] = dict(self.details)
        if self.suppressed:
            data["suppressed_by"] = self.diagnostic.suppressed_by
        if not self.established:
            data["established"] = False
        return data


def _sources(rule_id: str) -> list[str]:
    """The registry keys of the legal sources a rule cites (empty for an unknown rule)."""
    from privacy_audit.rules import RULES

    try:
        return [c.spec for c in RULES.get(rule_id).citations]
    except KeyError:
        return []


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.sort_key)


def exit_code(findings: list[Finding]) -> int:
    """0 when no finding is an error, 1 otherwise (2, "could not run", is the CLI's to give).

    Findings the controller file suppresses with a reason never fail the run, nor do
    findings not established (seen only in a phase whose banner click failed).
    """
    failed = any(f.severity >= Severity.ERROR and counts(f) for f in findings)
    return ExitCode.FINDINGS if failed else ExitCode.OK


def counts(finding: Finding) -> bool:
    """Whether a finding weighs on the verdict: not suppressed, and established."""
    return not finding.suppressed and finding.established

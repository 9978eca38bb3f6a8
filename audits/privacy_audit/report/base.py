"""What every report writer shares: the context it renders, its base class, the summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from privacy_audit import PHASES
from privacy_audit.findings import Finding, counts
from privacy_audit.observations import Observations
from privacy_pages import __version__
from privacy_pages.diagnostics import Severity
from privacy_pages.model.knowledge import KnowledgeBase

DECLARATION = "declaration"
"""The pseudo-phase of findings about the declaration itself (``phase`` is null)."""


@dataclass
class ReportContext:
    """Everything a reporter needs; built once per run."""

    observations: Observations
    findings: list[Finding]  # the active ones; suppressed findings are in ``suppressed``
    out_dir: Path
    controller_data: Mapping[str, Any] | None = None
    knowledge: KnowledgeBase | None = None
    generated_at: str = ""
    tool_version: str = __version__
    summary: dict[str, Any] = field(default_factory=dict)
    suppressed: list[Finding] = field(default_factory=list)
    since_last: dict[str, Any] | None = None  # diff.since_last_audit(); None on a first audit
    presentation: Mapping[str, Any] | None = None  # ReportOptions: lang, agency name and logo


class Reporter:
    """Base of the report writers: ``name`` is the ``--format`` value."""

    name: ClassVar[str]
    filename: ClassVar[str]
    description: ClassVar[str]

    def render(self, context: ReportContext) -> str:
        raise NotImplementedError


def summarize(observations: Observations, findings: list[Finding]) -> dict[str, Any]:
    """Counts per severity, per phase and per rule, and the verdict; suppressed apart."""
    from privacy_audit.verdict import judge

    suppressed = sum(1 for finding in findings if finding.suppressed)
    not_established = sum(1 for f in findings if not f.suppressed and not f.established)
    verdict = judge(observations, findings)
    findings = [finding for finding in findings if counts(finding)]
    severities = [s.label for s in sorted(Severity, reverse=True)]
    totals = {label: 0 for label in severities}
    phases = [DECLARATION] + [p.phase for p in observations.phases]
    by_phase = {phase: {label: 0 for label in severities} for phase in phases}
    by_rule: dict[str, int] = {}
    for finding in findings:
        label = finding.severity.label
        totals[label] += 1
        by_phase.setdefault(finding.phase or DECLARATION, {s: 0 for s in severities})[label] += 1
        by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
    pages = [page for phase in observations.phases for page in phase.pages]
    return {
        **verdict.to_dict(),
        "counts": totals,
        "by_phase": by_phase,
        "by_rule": dict(sorted(by_rule.items())),
        "pages_visited": len(pages),
        "pages_failed": sum(1 for page in pages if page.error),
        "suppressed": suppressed,
        "not_established": not_established,
        "clicks": {
            action: next(
                (
                    p.banner.clicks
                    for p in observations.phases
                    if p.banner is not None and p.banner.action == action and p.banner.succeeded
                ),
                None,
            )
            for action in ("reject", "accept")
        },
    }


def phase_names(observations: Observations) -> list[str]:
    """Phases in their canonical order, those observed only."""
    present = {p.phase for p in observations.phases}
    return [p for p in PHASES if p in present]

"""The verdict of a run, computed once for every report format and the exit code.

A run that did not observe the site has no pass or fail: it is ``incomplete``, exit 4 (not
audited), with its faults first. The site was not observed when a phase saw no page answer, when a phase's
landing page failed (what it sets before any choice, or the choice itself, went unseen), or
when pages were left unvisited because the time budget ran out. A phase whose banner click
failed is named, and its findings are not established (they never fail the run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from privacy_audit.findings import Finding, exit_code
from privacy_audit.i18n import Text, text
from privacy_audit.observations import (
    Observations,
    banner_failed,
    landing_failed,
    page_error,
    phase_observed,
)
from privacy_pages.diagnostics import ExitCode


@dataclass(frozen=True)
class Verdict:
    name: str  # pass, fail, incomplete
    exit_code: int
    faults: list[str] = field(default_factory=list)  # why incomplete: one line per phase
    unsettled: list[dict[str, str]] = field(default_factory=list)  # {phase, action, detail}
    fault_texts: list[Text] = field(default_factory=list)  # the faults, to say in any language

    @property
    def reason(self) -> str:
        """The faults in one line: once when every phase failed the same way."""
        reasons = {fault.split(": ", 1)[1] for fault in self.faults if ": " in fault}
        if len(reasons) == 1 and len(self.faults) > 1:
            return reasons.pop()
        return "; ".join(self.faults)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.name,
            "exit_code": self.exit_code,
            "faults": list(self.faults),
            "banner_failures": [dict(item) for item in self.unsettled],
        }


def judge(observations: Observations, findings: list[Finding]) -> Verdict:
    """pass, fail or incomplete, with the exit code every format and the CLI share."""
    texts = []
    for phase in observations.phases:
        name = text(f"phase_name.{phase.phase}")
        if not phase_observed(phase):
            first = next((p for p in phase.pages if p.error), None)
            reason = page_error(first) if first is not None else text("fault.no_visit")
            texts.append(text("fault.no_page", phase=name, reason=reason))
            continue
        if landing_failed(phase):
            texts.append(
                text("fault.landing_failed", phase=name, reason=page_error(phase.pages[0]))
            )
        if phase.skipped:
            texts.append(text("fault.pages_skipped", phase=name, n=phase.skipped))
    if not observations.phases:
        texts.append(text("fault.no_phase"))
    faults = [fault.render() for fault in texts]
    unsettled = [
        {
            "phase": phase.phase,
            "action": phase.banner.action,
            "detail": phase.banner.detail,
        }
        for phase in observations.phases
        if banner_failed(phase) and phase.banner is not None
    ]
    if faults:
        return Verdict("incomplete", ExitCode.INCOMPLETE, faults, unsettled, texts)
    code = exit_code(findings)
    return Verdict("fail" if code else "pass", code, [], unsettled)

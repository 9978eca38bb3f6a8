"""Judge recorded observations against the declared model: a pure function, no browser, no I/O.

One module per finding family, run in this order by `inspect`: `consent_phases` (PC, RJ),
`declared_cookies` (DC), `retention` (RT), `banner` (BN), `pages` (TX, LK). Phase semantics:
PC rules read `before-consent`, RJ rules `after-reject` (only when the refusal was really
clicked), DC and RT rules every phase at once (one finding per cookie, naming the phases it
was seen in), BN rules the banner results, TX and LK the pages. What needs consent is
decided once, in `tracking`; `declared` reads the controller's cookie list; `suppressions`
marks the findings the controller file accepts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from privacy_audit.analyze.banner import check_banner, check_close
from privacy_audit.analyze.consent_phases import check_consent
from privacy_audit.analyze.context import Context
from privacy_audit.analyze.declared import read_declaration
from privacy_audit.analyze.declared_cookies import check_declared, check_third_parties
from privacy_audit.analyze.pages import check_pages
from privacy_audit.analyze.retention import check_lifetimes
from privacy_audit.findings import Finding, sort_findings
from privacy_audit.observations import Observations
from privacy_audit.rules import RULES
from privacy_pages.diagnostics import Severity
from privacy_pages.model.knowledge import KnowledgeBase
from privacy_pages.rules.sources import Law

__all__ = ["CHECKS", "inspect"]

CHECKS: tuple[Callable[[Context], None], ...] = (
    check_consent,
    check_declared,
    check_third_parties,
    check_lifetimes,
    check_banner,
    check_pages,
    check_close,
)
"""Every family's checks, in the order their findings are added (then sorted)."""


def inspect(
    observations: Observations,
    controller_data: Mapping[str, Any] | None,
    knowledge: KnowledgeBase | None,
    *,
    severities: Mapping[str, Severity] | None = None,
    as_of: datetime.date | None = None,
) -> list[Finding]:
    """Every finding of the audit, sorted by phase (declaration first), rule and subject,
    under the law in force on ``as_of`` (today when None)."""
    context = Context(
        observations=observations,
        declaration=read_declaration(controller_data),
        knowledge=knowledge if knowledge is not None else KnowledgeBase(),
        severities=RULES.severities(severities),
        law=Law.on(as_of),
    )
    for check in CHECKS:
        check(context)
    return sort_findings(context.findings)

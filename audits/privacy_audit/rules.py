"""The audit's rules: the `audit` scope of the one registry (`privacy_pages.rules`).

The definitions and their documentation live in `privacy_pages.rules.audit`, beside the
rules of `check`, so `privacy-pages rules PC01`, ``--severity`` and suppressions share one
registry and one parser. This module gives the audit its view; the reference page comes from
the one generator (`privacy-pages rules --format markdown --scope audit`).
"""

from __future__ import annotations

from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Rule

__all__ = ["RULES", "Rule", "parse_severity_overrides"]

RULES = REGISTRY.scoped("audit")
"""The audit's rules, in reference order; a view of the one registry."""


def parse_severity_overrides(text: str | list[str]) -> dict[str, Severity]:
    """``"DC01=warning,declared-not-observed=info"`` to rule IDs; a one-line error otherwise.

    The same parser as `check` (`RuleRegistry.parse_severities`), over the audit's rules.
    """
    return RULES.parse_severities([text] if isinstance(text, str) else text)

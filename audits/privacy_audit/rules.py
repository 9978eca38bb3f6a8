"""The audit's rules: the `audit` scope of the one registry (`privacy_pages.rules`).

The definitions and their documentation live in `privacy_pages.rules.audit`, beside the
rules of `check`, so `privacy-pages rules PC01`, ``--severity`` and suppressions share one
registry and one parser. This module gives the audit its view and the rule reference page.
"""

from __future__ import annotations

from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.reference import sources_line
from privacy_pages.rules.registry import Rule

__all__ = ["RULES", "Rule", "parse_severity_overrides", "rule_reference_markdown"]

RULES = REGISTRY.scoped("audit")
"""The audit's rules, in reference order; a view of the one registry."""


def parse_severity_overrides(text: str | list[str]) -> dict[str, Severity]:
    """``"DC01=warning,declared-not-observed=info"`` to rule IDs; a one-line error otherwise.

    The same parser as `check` (`RuleRegistry.parse_severities`), over the audit's rules.
    """
    return RULES.parse_severities([text] if isinstance(text, str) else text)


def rule_reference_markdown() -> str:
    """The rule reference page, from the rules' docstrings."""
    lines = ["# Audit rules", ""]
    lines.append("| ID | Name | Default severity | Summary |")
    lines.append("|---|---|---|---|")
    for rule in RULES:
        lines.append(f"| {rule.id} | `{rule.name}` | {rule.severity.label} | {rule.summary} |")
    for rule in RULES:
        lines += ["", f"## {rule.id} {rule.name}", "", rule.summary, ""]
        lines.append(f"Default severity: **{rule.severity.label}** ({rule.level_reason}).")
        for heading, text in rule.sections().items():
            lines += ["", f"**{heading}.** {text}"]
        lines += ["", f"**Sources.** {sources_line(rule)}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m privacy_audit.rules > docs/audit-rules.md
    print(rule_reference_markdown(), end="")

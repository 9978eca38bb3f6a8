"""Audit findings the controller file accepts, each with a reason (`suppressions:`).

The same list `check` reads: an entry naming an audit rule (ID or name) suppresses that
rule's findings; with a ``pointer``, only findings about that part of the declaration.
Suppressed findings stay in the reports, marked with their reason, and never fail the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from privacy_audit.findings import Finding
from privacy_audit.rules import RULES
from privacy_pages.model.yaml_source import pointer_within


def _entries(controller_data: Mapping[str, Any] | None) -> list[tuple[str, str, str]]:
    """(rule ID, pointer prefix, reason) for each suppression naming an audit rule."""
    entries = []
    raw = (controller_data or {}).get("suppressions") or []
    for entry in raw:
        if not isinstance(entry, Mapping):
            continue
        try:
            rule_id = RULES.resolve(str(entry.get("rule", ""))).id
        except KeyError:
            continue  # a rule of `check`, or a typo that `check` reports (CS006)
        entries.append((rule_id, str(entry.get("pointer", "")), str(entry.get("reason", ""))))
    return entries


def apply_suppressions(
    findings: list[Finding], controller_data: Mapping[str, Any] | None
) -> list[Finding]:
    """``findings`` with ``diagnostic.suppressed_by`` set on those the file accepts."""
    entries = _entries(controller_data)
    if not entries:
        return list(findings)
    result = []
    for finding in findings:
        reason = next(
            (
                why
                for rule_id, prefix, why in entries
                if rule_id == finding.rule and pointer_within(finding.diagnostic.pointer, prefix)
            ),
            None,
        )
        if reason is not None:
            finding = replace(finding, diagnostic=replace(finding.diagnostic, suppressed_by=reason))
        result.append(finding)
    return result

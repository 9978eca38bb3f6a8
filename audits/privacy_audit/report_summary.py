"""The client-facing top of the HTML report: executive summary, then "since the last audit".

Plain data for ``templates/report_top.html.j2``: problems grouped by rule, errors first,
each in plain words in the report's language with its rule and legal basis cited.
"""

from __future__ import annotations

from typing import Any

from privacy_pages.diagnostics import Severity

from .diff import KINDS
from .report_base import ReportContext
from .report_text import RULE_LAW, rule_plain, text
from .rules import RULES

EXAMPLES_PER_RULE = 3


def client_view(context: ReportContext) -> dict[str, Any]:
    presentation = dict(context.presentation or {})
    lang = str(presentation.get("lang") or "en")
    strings = text(lang)
    groups: dict[str, dict[str, Any]] = {}
    for finding in context.findings:
        if finding.severity < Severity.WARNING:
            continue
        group = groups.setdefault(
            finding.rule,
            {
                "rule": finding.rule,
                "severity": finding.severity.label,
                "plain": rule_plain(lang, finding.rule, _summary(finding.rule)),
                "law": RULE_LAW.get(finding.rule, ""),
                "count": 0,
                "examples": [],
            },
        )
        group["count"] += 1
        subject = finding.subject.name if finding.subject else finding.url
        if subject not in group["examples"] and len(group["examples"]) < EXAMPLES_PER_RULE:
            group["examples"].append(subject)
    ordered = sorted(groups.values(), key=lambda g: (g["severity"] != "error", g["rule"]))
    return {
        "lang": lang,
        "t": strings,
        "agency_name": presentation.get("agency_name"),
        "agency_logo": presentation.get("agency_logo"),
        "errors": [g for g in ordered if g["severity"] == "error"],
        "warnings": [g for g in ordered if g["severity"] != "error"],
        "error_count": sum(g["count"] for g in ordered if g["severity"] == "error"),
        "since_last": _since_last_view(context.since_last, strings),
        "first_audit": context.since_last is None,
        "sites": _sites_view(presentation),
    }


def _sites_view(presentation: dict[str, Any]) -> dict[str, Any] | None:
    """This report's site among the controller's several websites, or None for one site."""
    sites = list(presentation.get("sites") or ())
    if len(sites) < 2:
        return None
    site = presentation.get("site")
    return {"site": site, "count": len(sites), "others": [s for s in sites if s != site]}


def _summary(rule_id: str) -> str:
    try:
        return RULES.get(rule_id).summary
    except KeyError:
        return rule_id


def _since_last_view(since: dict[str, Any] | None, strings: dict[str, str]) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "error": None,
        "when": None,
        "unchanged": False,
        "worse": False,
        "rows": [],
        "new": [],
        "fixed": [],
        "still_open": 0,
    }
    if not since:
        return empty
    if since.get("error"):
        return {**empty, "error": since["error"]}
    rows = []
    for phase, kinds in (since.get("changes") or {}).items():
        for kind in KINDS:
            moved = kinds.get(kind)
            if not moved:
                continue
            rows.append(
                {
                    "phase": strings.get(phase, phase),
                    "kind": strings[kind],
                    "appeared": moved["appeared"],
                    "gone": moved["gone"],
                }
            )
    findings = since.get("findings") or {}
    return {
        "error": None,
        "when": since.get("old_generated_at") or since.get("old"),
        "unchanged": since.get("unchanged"),
        "worse": since.get("worse"),
        "rows": rows,
        "new": findings.get("new") or [],
        "fixed": findings.get("fixed") or [],
        "still_open": len(findings.get("still_open") or []),
    }

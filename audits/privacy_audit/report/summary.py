"""The client-facing top of the HTML report: executive summary, then "since the last audit".

Plain data for ``templates/report_top.html.j2``: problems grouped by rule, errors first,
each in plain words in the report's language (`i18n`, sections ``top``, ``plain`` and
``law`` of the catalogues) with its rule and legal basis cited.
"""

from __future__ import annotations

from typing import Any

from privacy_audit.findings import Finding
from privacy_audit.history.diff import KINDS
from privacy_audit.i18n import FALLBACK, MissingText, say, section, translate
from privacy_audit.report.base import ReportContext
from privacy_audit.rules import RULES
from privacy_pages.diagnostics import Severity

EXAMPLES_PER_RULE = 3


def client_view(context: ReportContext) -> dict[str, Any]:
    presentation = dict(context.presentation or {})
    lang = report_lang(context)
    strings = section("top", lang)
    groups: dict[str, dict[str, Any]] = {}
    for finding in context.findings:
        # What the run could not establish is never counted or quoted at the top.
        if finding.severity < Severity.WARNING or not finding.established:
            continue
        group = groups.setdefault(
            finding.rule,
            {
                "rule": finding.rule,
                "severity": finding.severity.label,
                "plain": rule_plain(lang, finding.rule),
                "law": _law(lang, finding.rule),
                "count": 0,
                "examples": [],
            },
        )
        group["count"] += 1
        subject = subject_name(finding, lang)
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
        "incomplete": (context.summary or {}).get("verdict") == "incomplete",
        "faults": _faults(context, lang),
        "since_last": _since_last_view(context.since_last, strings, lang, context.findings),
        "first_audit": context.since_last is None,
        "sites": _sites_view(presentation),
    }


def _faults(context: ReportContext, lang: str) -> list[str]:
    """Why an incomplete run gives no verdict, in the report's language."""
    from privacy_audit.verdict import judge

    if (context.summary or {}).get("verdict") != "incomplete":
        return []
    return [say(fault, lang) for fault in judge(context.observations, context.findings).fault_texts]


def _sites_view(presentation: dict[str, Any]) -> dict[str, Any] | None:
    """This report's site among the controller's several websites, or None for one site."""
    sites = list(presentation.get("sites") or ())
    if len(sites) < 2:
        return None
    site = presentation.get("site")
    return {"site": site, "count": len(sites), "others": [s for s in sites if s != site]}


def report_lang(context: ReportContext) -> str:
    """The language the report is written in (``--lang``), English by default."""
    return str((context.presentation or {}).get("lang") or FALLBACK)


def rule_plain(lang: str, rule_id: str) -> str:
    """What a rule's findings mean, in plain words; the rule's summary for an unknown one."""
    try:
        return translate(f"plain.{rule_id}", lang)
    except MissingText:
        try:
            return RULES.get(rule_id).summary
        except KeyError:
            return rule_id


def _law(lang: str, rule_id: str) -> str:
    try:
        return translate(f"law.{rule_id}", lang)
    except MissingText:
        return ""


_OUR_SUBJECTS = {"consent banner": "subject.consent_banner", "close button": "subject.close_button"}


def subject_name(finding: Finding, lang: str) -> str:
    """What a finding is about: a cookie's or host's name as seen, or a name of ours."""
    subject = finding.subject
    if subject is None:
        return finding.url
    if subject.kind == "banner" and subject.name in _OUR_SUBJECTS:
        return translate(_OUR_SUBJECTS[subject.name], lang)
    return subject.name


def _said(
    items: list[dict[str, Any]], lang: str, current: dict[tuple[Any, ...], Finding]
) -> list[dict[str, Any]]:
    """Findings of "since the last audit" with their message in ``lang``.

    A finding of this run is said again from its sentence; one of the previous report only
    has its English message, so another language shows what its rule means instead.
    """
    if lang == FALLBACK:  # the messages as the reports wrote them
        return items
    said = []
    for item in items:
        finding = current.get((item.get("rule"), item.get("phase"), item.get("subject")))
        if finding is not None and finding.text is not None:
            message = say(finding.text, lang)
        else:
            message = rule_plain(lang, str(item.get("rule")))
        subject = str(item.get("subject"))
        if subject in _OUR_SUBJECTS:
            subject = translate(_OUR_SUBJECTS[subject], lang)
        said.append({**item, "message": message, "subject": subject})
    return said


def _since_last_view(
    since: dict[str, Any] | None,
    strings: dict[str, str],
    lang: str = "en",
    findings: list[Finding] | None = None,
) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "error": None,
        "when": None,
        "unchanged": False,
        "incomplete": {},
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
    from privacy_audit.history.diff import finding_subject

    current = {(f.rule, f.phase, finding_subject(f.to_dict())): f for f in findings or []}
    listed = since.get("findings") or {}
    return {
        "error": None,
        "when": since.get("old_generated_at") or since.get("old"),
        "unchanged": since.get("unchanged"),
        "incomplete": since.get("incomplete") or {},
        "worse": since.get("worse"),
        "rows": rows,
        "new": _said(listed.get("new") or [], lang, current),
        "fixed": _said(listed.get("fixed") or [], lang, current),
        "still_open": len(listed.get("still_open") or []),
    }

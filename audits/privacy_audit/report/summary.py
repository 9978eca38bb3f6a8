"""The client-facing top of the HTML report: executive summary, then "since the last audit".

Plain data for ``templates/report_top.html.j2``: problems grouped by rule in three tiers
(breaches of the law, recommendations not followed, points to check), each in plain words
in the report's language (`i18n`, sections ``top`` and ``plain`` of the catalogues) with its
rule and the legal sources it cites (the registry of `privacy_pages.rules.sources`).
"""

from __future__ import annotations

from typing import Any

from privacy_audit.findings import Finding
from privacy_audit.history.diff import KINDS
from privacy_audit.i18n import FALLBACK, MissingText, say, section, translate
from privacy_audit.report.base import ReportContext
from privacy_audit.report.dates import client_zone, say_moment
from privacy_audit.rules import RULES
from privacy_pages.diagnostics import Severity

EXAMPLES_PER_RULE = 3


TIERS = ("breaches", "recommendations", "to_check")
"""The executive summary's three tiers: breaches of the law (established error findings,
which the registry allows only where a binding text requires it), recommendations of the
authority not followed (warnings resting on guidance alone), and points to check (every
other warning, and error findings the run could not establish)."""


def tier(finding: Finding) -> str | None:
    """Which tier of the executive summary a finding belongs to; None for info."""
    if finding.severity >= Severity.ERROR:
        return "breaches" if finding.established else "to_check"
    if finding.severity < Severity.WARNING:
        return None
    try:
        rule = RULES.get(finding.rule)
    except KeyError:
        return "to_check"
    guidance_only = rule.citations and rule.ceiling == Severity.WARNING
    return "recommendations" if guidance_only and finding.established else "to_check"


def rule_sources(lang: str, rule_id: str) -> list[dict[str, str]]:
    """The legal sources a rule cites, as the report's language names them, with links."""
    try:
        rule = RULES.get(rule_id)
    except KeyError:
        return []
    return [{"label": c.label_in(lang), "url": c.source.url} for c in rule.citations]


def client_view(context: ReportContext) -> dict[str, Any]:
    presentation = dict(context.presentation or {})
    lang = report_lang(context)
    zone = client_zone(context.controller_data, presentation.get("timezone"))
    strings = section("top", lang)
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for finding in context.findings:
        where = tier(finding)
        if where is None or finding.suppressed:
            continue
        group = groups.setdefault(
            (where, finding.rule),
            {
                "rule": finding.rule,
                "tier": where,
                "severity": finding.severity.label,
                "plain": rule_plain(lang, finding.rule),
                "sources": rule_sources(lang, finding.rule),
                "count": 0,
                "examples": [],
            },
        )
        group["count"] += 1
        subject = subject_name(finding, lang)
        if subject not in group["examples"] and len(group["examples"]) < EXAMPLES_PER_RULE:
            group["examples"].append(subject)
    ordered = sorted(groups.values(), key=lambda g: g["rule"])
    tiers = {name: [g for g in ordered if g["tier"] == name] for name in TIERS}
    return {
        "lang": lang,
        "t": strings,
        "agency_name": presentation.get("agency_name"),
        "agency_logo": presentation.get("agency_logo"),
        "tiers": [(name, tiers[name]) for name in TIERS if tiers[name]],
        "breach_count": sum(g["count"] for g in tiers["breaches"]),
        "incomplete": (context.summary or {}).get("verdict") == "incomplete",
        "faults": _faults(context, lang),
        "since_last": _since_last_view(context.since_last, strings, lang, context.findings, zone),
        "time_zone": zone,
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
    zone: str = "UTC",
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
        "when": say_moment(since.get("old_generated_at"), lang, zone) or since.get("old"),
        "unchanged": since.get("unchanged"),
        "incomplete": since.get("incomplete") or {},
        "worse": since.get("worse"),
        "rows": rows,
        "new": _said(listed.get("new") or [], lang, current),
        "fixed": _said(listed.get("fixed") or [], lang, current),
        "still_open": len(listed.get("still_open") or []),
    }

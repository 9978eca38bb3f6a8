"""The HTML report, for people: one self-contained file, summary first, then each phase.

Everything read from the site is text: the Jinja2 environment autoescapes, and nothing
from the observations is marked safe. Screenshots that `collect` saved inside the output
folder are embedded as ``data:`` URIs, so the file has no external asset.
"""

from __future__ import annotations

import base64
import functools
import html
import mimetypes
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from privacy_audit.analyze.declared import read_declaration
from privacy_audit.findings import Finding
from privacy_audit.i18n import FALLBACK, RULE_DOC_FIELDS, Text, has_text, say, section, translate
from privacy_audit.observations import (
    CookieObservation,
    PageVisit,
    PhaseObservations,
    banner_detail,
    page_error,
    said_note,
)
from privacy_audit.report.base import DECLARATION, ReportContext, Reporter
from privacy_audit.report.dates import say_moment
from privacy_audit.report.summary import client_view, report_lang, rule_sources
from privacy_audit.rules import RULES
from privacy_pages.model.knowledge import KnowledgeBase
from privacy_pages.render import plain_name

MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")


@functools.cache
def environment(lang: str = FALLBACK) -> Environment:
    """The audit templates' environment (report, portfolio), one per language: templates
    are compiled once per process."""
    env = Environment(
        loader=PackageLoader("privacy_audit.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = lambda seconds: _human_duration(seconds, lang)
    env.filters["code"] = _code
    return env


def _code(text: str) -> Markup:
    """A catalogue sentence, escaped, its `backquoted` names set as <code>."""
    parts = html.escape(text, quote=False).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


class HtmlReporter(Reporter):
    name = "html"
    filename = "report.html"
    description = "self-contained HTML for people"

    def render(self, context: ReportContext) -> str:
        view = build_view(context)
        template = environment(view["client"]["lang"]).get_template("report.html.j2")
        return template.render(**view)


def build_view(context: ReportContext) -> dict[str, Any]:
    """The template's variables: plain data, no markup."""
    observations = context.observations
    declaration = read_declaration(context.controller_data)
    by_phase: dict[str, list[Finding]] = {}
    for finding in context.findings:
        by_phase.setdefault(finding.phase or DECLARATION, []).append(finding)
    phases = [
        _phase_view(context, phase, declaration, by_phase.get(phase.phase, []))
        for phase in observations.phases
    ]
    controller = context.controller_data or {}
    fired = sorted({f.rule for f in context.findings})
    client = client_view(context)
    lang = client["lang"]
    zone = client["time_zone"]
    phase_titles = section("phase_title", lang)
    for phase in phases:
        phase["title"] = phase_titles.get(phase["name"], phase["name"])
    banner_details = {
        phase.phase: say(banner_detail(phase.banner), lang)
        for phase in observations.phases
        if phase.banner is not None
    }
    return {
        "target_url": observations.target_url,
        "site_domain": observations.site_domain,
        "controller_id": controller.get("id"),
        "controller_name": plain_name(dict(controller), lang) if controller else None,
        "started_at": observations.started_at,
        "finished_at": observations.finished_at,
        "started_said": say_moment(observations.started_at, lang, zone),
        "finished_said": say_moment(observations.finished_at, lang, zone),
        "time_zone": zone,
        "browser": observations.browser,
        "generated_at": context.generated_at,
        "generated_said": say_moment(context.generated_at, lang, zone),
        "tool_version": context.tool_version,
        "summary": context.summary,
        "faults": _faults(context, lang),
        "phase_titles": phase_titles,
        "banner_details": banner_details,
        "declaration_findings": by_phase.get(DECLARATION, []),
        "phases": phases,
        "rules": [RULES.get(rule_id) for rule_id in fired],
        "suppressed": context.suppressed,
        "client": client,
        "tr": lambda key, **values: translate(key, lang, **values),
        "tr_known": lambda key, default: (
            translate(key, lang) if has_text(key, FALLBACK) else default
        ),
        "message": lambda finding: say(finding.text, lang) if finding.text else finding.message,
        "hint": lambda finding: say(finding.hint_text, lang) if finding.hint_text else finding.hint,
        "phase_list": lambda phases: ", ".join(translate(f"phase_name.{p}", lang) for p in phases),
        "rule_doc": lambda rule: rule_doc(rule, lang),
        "rule_label": lambda item: rule_label(
            getattr(item, "rule", None) or item.id, item.name, lang
        ),
        "rule_sources": lambda rule: rule_sources(lang, rule.id),
    }


def rule_label(rule_id: str, name: str, lang: str) -> str:
    """A rule's name in words in ``lang`` (``rule_name.<ID>``), else its kebab-case name."""
    key = f"rule_name.{rule_id}"
    return translate(key, lang) if has_text(key, lang) or has_text(key, FALLBACK) else name


def rule_doc(rule: Any, lang: str) -> dict[str, str]:
    """A rule's summary, why it matters and what to do instead, in ``lang``.

    English is the registry's own documentation; another language translates it in its
    catalogue (``rule_doc.<ID>.summary``, ``.why``, ``.fix``).
    """
    sections = rule.sections()
    doc = {}
    for field, heading in RULE_DOC_FIELDS.items():
        key = f"rule_doc.{rule.id}.{field}"
        if lang != FALLBACK and has_text(key, lang):
            doc[field] = translate(key, lang)
        else:
            doc[field] = rule.summary if heading is None else sections[heading]
    return doc


def _faults(context: ReportContext, lang: str) -> list[str]:
    """Why the run is incomplete, one line per phase, in ``lang``."""
    from privacy_audit.verdict import judge

    if lang == FALLBACK:
        return list(context.summary.get("faults") or [])
    verdict = judge(context.observations, context.findings)
    return [fault.render(lang) for fault in verdict.fault_texts]


def _phase_view(
    context: ReportContext,
    phase: PhaseObservations,
    declaration: Any,
    findings: list[Finding],
) -> dict[str, Any]:
    knowledge = context.knowledge
    lang = report_lang(context)
    cookies = [_cookie_row(c, declaration, knowledge, lang) for c in phase.cookies]
    cookies.sort(key=lambda c: (c["party"], c["name"], c["domain"]))
    storage = sorted(
        (
            {
                "kind": s.kind,
                "key": s.key,
                "origin": s.origin,
                "party": s.party,
                "declared": _declared_label(declaration.find(s.key, s.kind), lang),
                "vendor": _vendor(declaration.find(s.key, s.kind), knowledge, s.key, s.kind),
            }
            for s in phase.storage
        ),
        key=lambda s: (s["kind"], s["key"], s["origin"]),
    )
    groups: dict[str, dict[str, Any]] = {}
    for request in phase.requests:
        if request.party != "third":
            continue
        group = groups.setdefault(
            request.registrable_domain or request.host,
            {"domain": request.registrable_domain or request.host, "hosts": [], "count": 0},
        )
        group["hosts"].append(
            {
                "host": request.host,
                "count": request.count,
                "type": request.resource_type,
                "url": request.url,
            }
        )
        group["count"] += request.count
    for group in groups.values():
        group["hosts"].sort(key=lambda h: h["host"])
        recipient = declaration.recipient_for_host(group["domain"], group["domain"])
        group["recipient"] = recipient.name if recipient else None
        known = knowledge.host(group["domain"]) if knowledge is not None else None
        group["vendor"] = known.vendor if known else None
    notes = [said_note(phase, note) for note in phase.notes]
    pages = []
    for page in phase.pages:
        pages.append(
            {
                "url": page.url,
                "final_url": page.final_url,
                "status": page.status,
                "title": page.title,
                "load_ms": page.load_ms,
                "error": page.error,
                **_said_error(page, lang),
                "screenshot": _embed_screenshot(context.out_dir, page.screenshot),
                "screenshot_path": page.screenshot,
            }
        )
    return {
        "name": phase.phase,
        "findings": findings,
        "pages": pages,
        "faults": [p for p in pages if p["error"]],
        "cookies": cookies,
        "storage": storage,
        "third_parties": sorted(groups.values(), key=lambda g: g["domain"]),
        "banner": phase.banner,
        "notes": [say(note, lang) for note in notes],
        "notes_said": all(isinstance(note, Text) for note in notes),
    }


def _said_error(page: PageVisit, lang: str) -> dict[str, Any]:
    """What went wrong on a page, in ``lang``: its kind, and the error itself, ours said in
    ``lang``, the browser's own message as it is (marked English in another language)."""
    if not page.error:
        return {"error_label": None, "error_said": None, "error_lang": None}
    kind = f"error_kind.{page.error_kind}"
    error = page_error(page)
    return {
        "error_label": translate(kind if has_text(kind, lang) else "report.error", lang),
        "error_said": say(error, lang),
        "error_lang": None if isinstance(error, Text) or lang == FALLBACK else FALLBACK,
    }


def _cookie_row(
    cookie: CookieObservation, declaration: Any, knowledge: KnowledgeBase | None, lang: str
) -> dict[str, Any]:
    tracker = declaration.find(cookie.name, "cookie")
    return {
        "name": cookie.name,
        "domain": cookie.domain,
        "path": cookie.path,
        "party": cookie.party,
        "session": cookie.session,
        "lifetime_seconds": cookie.lifetime_seconds,
        "flags": ", ".join(
            flag
            for flag, on in (
                ("HttpOnly", cookie.http_only),
                ("Secure", cookie.secure),
                (f"SameSite={cookie.same_site}", bool(cookie.same_site)),
            )
            if on
        ),
        "set_by": cookie.set_by_url,
        "declared": _declared_label(tracker, lang),
        "vendor": _vendor(tracker, knowledge, cookie.name, "cookie"),
    }


def _vendor(tracker: Any, knowledge: KnowledgeBase | None, name: str, kind: str) -> str | None:
    """Who sets it: the declared provider, else the knowledge base's vendor."""
    if tracker is not None and tracker.provider:
        return str(tracker.provider)
    known = knowledge.lookup(name, kind) if knowledge is not None else None
    return known.vendor if known else None


def _declared_label(tracker: Any, lang: str) -> str | None:
    if tracker is None:
        return None
    return tracker.category_id or translate("report.no_category", lang)


def _embed_screenshot(out_dir: Path, relative: str | None) -> str | None:
    """A data: URI for a screenshot inside ``out_dir``; None when absent or outside it."""
    if not relative:
        return None
    root = out_dir.resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    kind = mimetypes.guess_type(path.name)[0]
    if kind not in _IMAGE_TYPES or path.stat().st_size > MAX_SCREENSHOT_BYTES:
        return None
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _human_duration(seconds: float | None, lang: str = FALLBACK) -> str:
    if seconds is None:
        return translate("duration.session", lang)
    days = seconds / 86400
    if days >= 2:
        return translate("duration.days", lang, n=f"{days:.0f}")
    hours = seconds / 3600
    if hours >= 1:
        return translate("duration.hours", lang, n=f"{hours:.0f}")
    return translate("duration.minutes", lang, n=f"{seconds / 60:.0f}")

"""The JSON report, for machines: follows schemas/audit-report.schema.json."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from privacy_audit.observations import BannerResult, PageVisit
from privacy_audit.report.base import ReportContext, Reporter

REPORT_FORMAT_VERSION = 1
REPORT_SCHEMA = "audit-report.schema.json"
SCHEMA_ID = "https://privacy-pages.dev/schemas/audit-report.schema.json"
_NEVER_WRITTEN = frozenset({"value", "values", "cookie_value"})
"""Keys dropped from observations whatever collect adds: cookie values can be personal data."""


class JsonReporter(Reporter):
    name = "json"
    filename = "report.json"
    description = "JSON following schemas/audit-report.schema.json"

    def render(self, context: ReportContext) -> str:
        return json.dumps(build_document(context), indent=2, ensure_ascii=False) + "\n"


def build_document(context: ReportContext) -> dict[str, Any]:
    observations = context.observations
    pages = [
        _page_entry(phase.phase, page) for phase in observations.phases for page in phase.pages
    ]
    phases = []
    for phase in observations.phases:
        phases.append(
            {
                "phase": phase.phase,
                "cookies": [_clean(dataclasses.asdict(c)) for c in phase.cookies],
                "storage": [_clean(dataclasses.asdict(s)) for s in phase.storage],
                "requests": [_clean(dataclasses.asdict(r)) for r in phase.requests],
                "banner": _banner(phase.banner) if phase.banner else None,
                "notes": list(phase.notes),
            }
        )
    controller = context.controller_data or {}
    extra = {"since_last_audit": context.since_last} if context.since_last else {}
    return {
        "$schema": SCHEMA_ID,
        "format_version": REPORT_FORMAT_VERSION,
        "tool": {"name": "privacy-pages", "version": context.tool_version},
        "generated_at": context.generated_at,
        "controller": controller.get("id"),
        "target_url": observations.target_url,
        "site_domain": observations.site_domain,
        "started_at": observations.started_at,
        "finished_at": observations.finished_at,
        "browser": dict(observations.browser),
        "settings": _clean(dict(observations.settings)),
        "summary": context.summary,
        "pages": pages,
        "observations": {
            "version": observations.version,
            "phases": phases,
            "close_probe": observations.close_probe,
        },
        "findings": [finding.to_dict() for finding in context.findings],
        "suppressed": [finding.to_dict() for finding in context.suppressed],
        **extra,
    }


def _banner(banner: BannerResult) -> dict[str, Any]:
    """The banner as observed; its detail in English only (the sentence is for the HTML)."""
    data = _clean(dataclasses.asdict(banner))
    data.pop("detail_text", None)
    return data


def _page_entry(phase: str, page: PageVisit) -> dict[str, Any]:
    """A page of the report; its error as a sentence only when it is one of ours."""
    entry = {"phase": phase, **_clean(dataclasses.asdict(page))}
    if entry.get("error_text") is None:
        entry.pop("error_text", None)
    return entry


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in _NEVER_WRITTEN}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value

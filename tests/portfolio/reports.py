"""Report documents for tests that read reports from disk: a short sketch made whole.

`audit diff`, `suggest` and the portfolio read a report through the schema, as a user's file
is read; a test writes what it means (cookies, findings) and `complete_report` adds every
field the schema requires, then checks the result against it.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema

from privacy_audit.report.json_report import REPORT_SCHEMA
from privacy_pages.model.schema import load_schema

_COOKIE = {
    "path": "/", "session": False, "lifetime_seconds": 3600, "http_only": False, "secure": True,
    "same_site": "Lax", "party": "first", "registrable_domain": "shop.test",
    "page_url": "https://shop.test/",
}  # fmt: skip
_STORAGE = {"party": "first", "page_url": "https://shop.test/"}
_REQUEST = {
    "registrable_domain": "cdn.test", "url": "https://cdn.test/x.js", "resource_type": "script",
    "count": 1, "page_url": "https://shop.test/",
}  # fmt: skip
_COUNTS = {"error": 0, "warning": 0, "info": 0}


def complete_report(sketch: dict[str, Any]) -> dict[str, Any]:
    """``sketch`` (observations.phases and findings, any subset of fields) as a full report."""
    report = copy.deepcopy(sketch)
    phases = report.setdefault("observations", {}).setdefault("phases", [])
    report["observations"].setdefault("version", 1)
    for phase in phases:
        phase.setdefault("banner", None)
        for key in ("cookies", "storage", "requests"):
            phase.setdefault(key, [])
        phase["cookies"] = [{**_COOKIE, **c} for c in phase["cookies"]]
        phase["storage"] = [{**_STORAGE, **s} for s in phase["storage"]]
        phase["requests"] = [{**_REQUEST, **r} for r in phase["requests"]]
    findings = report.setdefault("findings", [])
    for finding in findings:
        finding.setdefault("name", "some-rule")
        finding.setdefault("message", finding["rule"])
        finding.setdefault("phase", None)
        finding.setdefault("phases", [finding["phase"]] if finding["phase"] else [])
        finding.setdefault("url", "https://shop.test/")
    report.setdefault("format_version", 1)
    report.setdefault("tool", {"name": "privacy-pages", "version": "0.1.0"})
    report.setdefault("generated_at", "2026-11-29T10:00:00Z")
    report.setdefault("target_url", "https://shop.test/")
    report.setdefault("site_domain", "shop.test")
    report.setdefault(
        "summary",
        {
            "verdict": "fail" if findings else "pass", "exit_code": 1 if findings else 0,
            "counts": dict(_COUNTS), "by_phase": {}, "by_rule": {}, "pages_visited": 1,
            "pages_failed": 0, "suppressed": 0,
        },
    )  # fmt: skip
    report.setdefault("pages", [])
    report.setdefault("suppressed", [])
    jsonschema.Draft202012Validator(load_schema(REPORT_SCHEMA)).validate(report)
    return report

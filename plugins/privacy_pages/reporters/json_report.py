"""Machine-readable output: every diagnostic (and each suppressed one) as a JSON object."""

from __future__ import annotations

import json
from typing import Any

from privacy_pages.diagnostics import Diagnostic
from privacy_pages.reporters.base import ReportContext, Reporter


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    item = {
        "rule": d.rule,
        "name": d.name,
        "severity": d.severity.label,
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "pointer": d.pointer,
        "message": d.message,
        "hint": d.hint,
    }
    if d.suppressed_by is not None:
        item["suppressed_by"] = d.suppressed_by
    return item


class JsonReporter(Reporter):
    name = "json"
    description = "a JSON document with a summary, diagnostics and suppressed findings"

    def render(self, context: ReportContext) -> str:
        document = {
            "tool": {"name": "privacy-pages", "version": context.version},
            "summary": {**context.summary(), "exit_code": context.exit_code},
            "failures": context.result.failures,
            "diagnostics": [diagnostic_dict(d) for d in context.result.diagnostics],
            "suppressed": [diagnostic_dict(d) for d in context.result.suppressed],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

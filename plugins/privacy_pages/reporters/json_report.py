"""Machine-readable output: every diagnostic (and each suppressed one) as a JSON object."""

from __future__ import annotations

import json

from privacy_pages.reporters.base import ReportContext, Reporter


class JsonReporter(Reporter):
    name = "json"
    description = "a JSON document with a summary, diagnostics and suppressed findings"

    def render(self, context: ReportContext) -> str:
        document = {
            "tool": {"name": "privacy-pages", "version": context.version},
            "summary": {**context.summary(), "exit_code": context.exit_code},
            "failures": context.result.failures,
            "diagnostics": [d.as_dict() for d in context.result.diagnostics],
            "suppressed": [d.as_dict() for d in context.result.suppressed],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

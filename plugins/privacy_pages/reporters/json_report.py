"""Machine-readable output: every diagnostic (and each suppressed one) as a JSON object.

Streamed: the diagnostics are written file by file as the run goes, then the suppressed
findings, the run's failures and the summary (whose counts are known only at the end).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from privacy_pages.diagnostics import Diagnostic
from privacy_pages.reporters.base import ReportContext, Reporter, json_items


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


class JsonReporter(Reporter):
    name = "json"
    description = "a JSON document with diagnostics, suppressed findings and a summary"

    def write(self, context: ReportContext, out: TextIO) -> None:
        tool = {"name": "privacy-pages", "version": context.version}
        out.write('{\n  "tool": ' + _dumps(tool).replace("\n", "\n  ") + ',\n  "diagnostics": [')
        suppressed: list[Diagnostic] = []
        first = True
        for result in context.run:
            if result.diagnostics:
                items = [_dumps(d.as_dict()) for d in result.diagnostics]
                out.write(("\n" if first else ",\n") + json_items(items, 2))
                first = False
            suppressed += result.suppressed
        out.write(("\n  ]" if not first else "]") + ',\n  "suppressed": ')
        out.write(_dumps([d.as_dict() for d in suppressed]).replace("\n", "\n  "))
        out.write(',\n  "failures": ' + _dumps(context.run.failures).replace("\n", "\n  "))
        summary = {**context.summary(), "exit_code": context.exit_code}
        out.write(',\n  "summary": ' + _dumps(summary).replace("\n", "\n  ") + "\n}\n")

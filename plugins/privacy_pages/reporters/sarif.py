"""SARIF 2.1.0 for code-scanning tools, with the documentation of each rule its results cite
in ``rules[]`` (as ruff does: a report names the rules it uses, in registry order).

Streamed: each file's results are written, one line each, as the run goes to a spool file
on disk, then the suppressed ones; the rules they cite are known only at the end, so the
tool and its rules are written then, followed by the spooled results (each ``ruleIndex``
set to its rule's place in ``rules[]``) and the invocation. Memory stays flat whatever the number of files.
"""

from __future__ import annotations

import json
import re
import tempfile
from typing import Any, TextIO

from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.reporters.base import ReportContext, Reporter, json_items, uri
from privacy_pages.rules import REGISTRY, Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
HELP_URI = "https://privacy-pages.dev/rules/#"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    sections = ["What it checks", "Why it matters", "Fails", "Use instead"]
    markdown = "\n\n".join(f"**{s}.** {rule.section(s)}" for s in sections)
    if rule.citations:
        markdown += "\n\n**Sources.** " + "; ".join(
            f"[{c.label}]({c.source.url})" for c in rule.citations
        )
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.section("Why it matters")},
        "help": {
            "text": "\n".join(f"{s}: {rule.section(s)}" for s in sections),
            "markdown": markdown,
        },
        "helpUri": HELP_URI + rule.id.lower(),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": [rule.family],
            "sources": [c.label for c in rule.citations],
        },
    }


def _result(d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": uri(d.path), "uriBaseId": "%SRCROOT%"}}
    if d.line:
        location["region"] = {"startLine": d.line, "startColumn": max(d.column, 1)}
    result: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": index[d.rule],
        "level": LEVELS[d.severity],
        "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
        "locations": [{"physicalLocation": location}],
    }
    if d.pointer:
        result["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": d.pointer, "kind": "member"}
        ]
    if d.suppressed_by is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": d.suppressed_by}]
    return result


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning and other code-scanning tools"

    def write(self, context: ReportContext, out: TextIO) -> None:
        first_seen: dict[str, int] = {}  # rule ID -> its index in the spool
        suppressed: list[Diagnostic] = []
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
            count = 0
            for file in context.run:
                count += _spool(spool, file.diagnostics, first_seen, count)
                suppressed += file.suppressed
            _spool(spool, suppressed, first_seen, count)
            rules = [rule for rule in REGISTRY if rule.id in first_seen]
            place = {first_seen[rule.id]: str(i) for i, rule in enumerate(rules)}
            tool = {
                "driver": {
                    "name": "privacy-pages",
                    "version": context.version,
                    "informationUri": "https://privacy-pages.dev/",
                    "rules": [rule_descriptor(rule) for rule in rules],
                }
            }
            head = {"$schema": SARIF_SCHEMA, "version": "2.1.0"}
            out.write(_dumps(head)[:-2] + ',\n  "runs": [\n    {\n      "tool": ')
            out.write(_dumps(tool).replace("\n", "\n      ") + ',\n      "results": [')
            spool.seek(0)
            for line in spool:
                found = _RULE_INDEX.match(line)
                if found is not None:
                    start, end = found.span(1)
                    line = line[:start] + place[int(found[1])] + line[end:]
                out.write(line)
        invocations = [
            {
                "executionSuccessful": not context.run.failures,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": f}} for f in context.run.failures
                ],
            }
        ]
        out.write(("\n      ]" if first_seen else "]") + ',\n      "invocations": ')
        out.write(_dumps(invocations).replace("\n", "\n      ") + "\n    }\n  ]\n}\n")


# A result as `_spool` lays it out: one line, its rule ID and index first (a message's quotes
# and newlines are escaped, so nothing else on the line can look like this start).
_RULE_INDEX = re.compile(r'\s*\{"ruleId": "[A-Z]+[0-9]+", "ruleIndex": (\d+)')


def _spool(spool: TextIO, diagnostics: list[Diagnostic], seen: dict[str, int], count: int) -> int:
    """Write the results of ``diagnostics`` to ``spool`` (after ``count`` already there), each
    rule indexed by its first appearance; how many were written."""
    if not diagnostics:
        return 0
    for d in diagnostics:
        seen.setdefault(d.rule, len(seen))
    # One line per result: json's C encoder writes it, where an indented layout would run the
    # pure-Python one (5x slower, a tenth of check's time at 1,000 files).
    items = [json.dumps(_result(d, seen), ensure_ascii=False) for d in diagnostics]
    spool.write(("\n" if not count else ",\n") + json_items(items, 4))
    return len(items)

"""SARIF 2.1.0 for code-scanning tools, with every rule's documentation in ``rules[]``.

Streamed: the tool and its rules first, then each file's results as the run goes, the
suppressed results, and the invocation (whose success is known only at the end).
"""

from __future__ import annotations

import json
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
        rules = [rule for rule in REGISTRY if rule.scope == "check"]
        index = {rule.id: i for i, rule in enumerate(rules)}
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
        suppressed: list[Diagnostic] = []
        first = True
        for file in context.run:
            if file.diagnostics:
                items = [_dumps(_result(d, index)) for d in file.diagnostics]
                out.write(("\n" if first else ",\n") + json_items(items, 4))
                first = False
            suppressed += file.suppressed
        if suppressed:
            items = [_dumps(_result(d, index)) for d in suppressed]
            out.write(("\n" if first else ",\n") + json_items(items, 4))
            first = False
        invocations = [
            {
                "executionSuccessful": not context.run.failures,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": f}} for f in context.run.failures
                ],
            }
        ]
        out.write(("\n      ]" if not first else "]") + ',\n      "invocations": ')
        out.write(_dumps(invocations).replace("\n", "\n      ") + "\n    }\n  ]\n}\n")

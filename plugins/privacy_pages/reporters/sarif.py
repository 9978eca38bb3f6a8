"""SARIF 2.1.0 for code-scanning tools, with the documentation of each rule its results cite
in ``rules[]`` (as ruff does: a report names the rules it uses, in registry order)."""

from __future__ import annotations

import json
from typing import Any

from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.reporters.base import ReportContext, Reporter, uri
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


class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 for GitHub code scanning and other code-scanning tools"

    def render(self, context: ReportContext) -> str:
        diagnostics = [*context.result.diagnostics, *context.result.suppressed]
        cited = {d.rule for d in diagnostics}
        rules = [rule for rule in REGISTRY if rule.id in cited]
        index = {rule.id: i for i, rule in enumerate(rules)}
        results = [_result(d, index) for d in diagnostics]
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "privacy-pages",
                    "version": context.version,
                    "informationUri": "https://privacy-pages.dev/",
                    "rules": [rule_descriptor(rule) for rule in rules],
                }
            },
            "results": results,
            "invocations": [
                {
                    "executionSuccessful": not context.result.failures,
                    "toolExecutionNotifications": [
                        {"level": "error", "message": {"text": f}} for f in context.result.failures
                    ],
                }
            ],
        }
        document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

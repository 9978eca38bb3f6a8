"""The JUnit XML report, for CI: one test case per rule and phase, a failure per error.

Warnings and infos are listed in the test case's ``system-out`` and do not fail it: a CI
job fails exactly when the exit code is 1.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from privacy_audit.findings import Finding
from privacy_audit.report.base import DECLARATION, ReportContext, Reporter, phase_names
from privacy_audit.rules import RULES
from privacy_pages.diagnostics import Severity

DECLARATION_RULES = ("DC02", "DC04", "DC05", "DC06")
"""Rules about the declaration itself, reported without a phase."""
PHASE_ONLY = {"PC": "before-consent", "RJ": "after-reject"}
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JunitReporter(Reporter):
    name = "junit"
    filename = "report.junit.xml"
    description = "JUnit XML for CI"

    def render(self, context: ReportContext) -> str:
        root = ET.Element("testsuites", name="privacy-audit")
        summary = context.summary
        errors_total = 0
        if summary.get("verdict") == "incomplete":
            # No green file for a site never observed: one error case names the faults.
            suite = ET.SubElement(root, "testsuite", name="privacy-audit.run")
            case = ET.SubElement(
                suite, "testcase", classname="privacy-audit.run", name="site observed"
            )
            error = ET.SubElement(
                case, "error", type="incomplete", message="the site could not be observed"
            )
            error.text = _xml_text("\n".join(summary.get("faults", [])))
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("errors", "1")
            errors_total = 1
        by_case: dict[tuple[str, str], list[Finding]] = {}
        for finding in context.findings:
            by_case.setdefault((finding.phase or DECLARATION, finding.rule), []).append(finding)
        total = failures = 0
        for suite_name in [DECLARATION, *phase_names(context.observations)]:
            suite = ET.SubElement(root, "testsuite", name=f"privacy-audit.{suite_name}")
            tests = fails = skipped = 0
            for rule in RULES:
                if not _applies(rule.id, suite_name):
                    continue
                found = by_case.get((suite_name, rule.id), [])
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=f"privacy-audit.{suite_name}",
                    name=f"{rule.id} {rule.name}",
                )
                if errors_total and suite_name != DECLARATION:
                    # Nothing was observed: no check of this phase passed, none ran.
                    ET.SubElement(case, "skipped", message="the site could not be observed")
                    tests += 1
                    skipped += 1
                    continue
                errors = [f for f in found if f.severity >= Severity.ERROR and f.established]
                if errors:
                    failure = ET.SubElement(
                        case,
                        "failure",
                        type=rule.id,
                        message=f"{len(errors)} finding{'s' if len(errors) != 1 else ''}: "
                        + _xml_text(errors[0].message),
                    )
                    failure.text = "\n".join(_line(f) for f in errors)
                    fails += 1
                others = [f for f in found if f not in errors]
                if others:
                    ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in others)
                tests += 1
            suite.set("tests", str(tests))
            suite.set("failures", str(fails))
            suite.set("errors", "0")
            suite.set("skipped", str(skipped))
            total += tests
            failures += fails
        root.set("tests", str(total + errors_total))
        root.set("failures", str(failures))
        root.set("errors", str(errors_total))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _applies(rule_id: str, suite: str) -> bool:
    if suite == DECLARATION:
        return rule_id in DECLARATION_RULES
    if rule_id in DECLARATION_RULES:
        return False
    only = PHASE_ONLY.get(rule_id[:2])
    return only is None or only == suite


def _line(finding: Finding) -> str:
    mark = "" if finding.established else " (not established)"
    return _xml_text(f"{finding.severity.label}{mark}: {finding.url}: {finding.message}")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids (read from a site) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)

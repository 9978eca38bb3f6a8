"""JUnit XML for CI dashboards: one test case per file, one failure per failing diagnostic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .base import ReportContext, Reporter


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML: a test case per controller file, failures for failing findings"

    def render(self, context: ReportContext) -> str:
        result = context.result
        suite = ET.Element("testsuite", name="privacy-pages check")
        failures = 0
        for failure in result.failures:
            case = ET.SubElement(suite, "testcase", classname="privacy-pages", name=failure)
            ET.SubElement(case, "error", message=failure)
        for file in result.files:
            case = ET.SubElement(suite, "testcase", classname="privacy-pages.check", name=file.path)
            failing = [d for d in file.diagnostics if context.fails(d)]
            others = [d for d in file.diagnostics if not context.fails(d)]
            if failing:
                failures += 1
                body = "\n".join(
                    f"{d.location}: {d.rule} {d.severity.label}: {d.message}" for d in failing
                )
                ET.SubElement(
                    case,
                    "failure",
                    type=failing[0].rule,
                    message=f"{len(failing)} failing finding(s), first: {failing[0].message}",
                ).text = body
            if others or file.suppressed:
                lines = [f"{d.location}: {d.rule} {d.severity.label}: {d.message}" for d in others]
                lines += [
                    f"{d.location}: {d.rule} suppressed ({d.suppressed_by}): {d.message}"
                    for d in file.suppressed
                ]
                ET.SubElement(case, "system-out").text = "\n".join(lines)
        suite.set("tests", str(len(result.files) + len(result.failures)))
        suite.set("failures", str(failures))
        suite.set("errors", str(len(result.failures)))
        ET.indent(suite)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(suite, encoding="unicode")
            + "\n"
        )

"""JUnit XML for CI dashboards: one test case per file, one failure per failing diagnostic."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from privacy_pages.diagnostics import Diagnostic, printable
from privacy_pages.reporters.base import ReportContext, Reporter


def _line(d: Diagnostic, what: str, message: str | None = None) -> str:
    """One finding as a line; every part goes through `printable`: XML 1.0 cannot hold
    control characters at all, not even as character references."""
    return printable(f"{d.location}: {d.rule} {what}: {message or d.message}")


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML: a test case per controller file, failures for failing findings"

    def write(self, context: ReportContext, out: TextIO) -> None:
        """JUnit's root element carries the counts: the file's cases are built as the run
        streams, then the run's failures put first, and the whole written at the end."""
        suite = ET.Element("testsuite", name="privacy-pages check")
        failures = 0
        for file in context.run:
            case = ET.SubElement(
                suite, "testcase", classname="privacy-pages.check", name=printable(file.path)
            )
            failing = [d for d in file.diagnostics if context.fails(d)]
            others = [d for d in file.diagnostics if not context.fails(d)]
            if failing:
                failures += 1
                body = "\n".join(_line(d, d.severity.label, context.said(d)[0]) for d in failing)
                ET.SubElement(
                    case,
                    "failure",
                    type=failing[0].rule,
                    message=printable(
                        f"{len(failing)} failing finding(s), first: {context.said(failing[0])[0]}"
                    ),
                ).text = body
            if others or file.suppressed:
                lines = [_line(d, d.severity.label, context.said(d)[0]) for d in others]
                lines += [_line(d, f"suppressed ({d.suppressed_by})") for d in file.suppressed]
                ET.SubElement(case, "system-out").text = "\n".join(lines)
        for position, failure in enumerate(map(printable, context.run.failures)):
            case = ET.Element("testcase", classname="privacy-pages", name=failure)
            ET.SubElement(case, "error", message=failure)
            suite.insert(position, case)
        suite.set("tests", str(context.run.files + len(context.run.failures)))
        suite.set("failures", str(failures))
        suite.set("errors", str(len(context.run.failures)))
        ET.indent(suite)
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(suite, encoding="unicode")
            + "\n"
        )

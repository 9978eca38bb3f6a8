"""GitHub Actions workflow commands: each diagnostic becomes an annotation on the pull request."""

from __future__ import annotations

from typing import TextIO

from privacy_pages.diagnostics import Severity, printable
from privacy_pages.reporters.base import ReportContext, Reporter

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations (::error file=...,line=...::message)"

    def write(self, context: ReportContext, out: TextIO) -> None:
        written = 0
        for file in context.run:
            lines = [
                f"::error::{_escape_data(printable(f))}" for f in context.run.failures[written:]
            ]
            written = len(context.run.failures)
            for d in file.diagnostics:
                props = [f"file={_escape_property(d.path)}"]
                if d.line:
                    props += [f"line={d.line}", f"col={d.column}"]
                props.append(f"title={_escape_property(f'{d.rule} {d.name}')}")
                said, hint = context.said(d)
                message = said + (f" (hint: {hint})" if hint else "")
                lines.append(f"::{COMMANDS[d.severity]} {','.join(props)}::{_escape_data(message)}")
            if lines:
                out.write("\n".join(lines) + "\n")
        out.writelines(
            f"::error::{_escape_data(printable(failure))}\n"
            for failure in context.run.failures[written:]
        )
        s = context.summary()
        out.write(
            f"privacy-pages: {s['files']} files, {s['errors']} errors, {s['warnings']} warnings, "
            f"{s['info']} info, {s['suppressed']} suppressed\n"
        )

"""Human-readable output: one line per problem, a hint below, a summary; colour on a terminal.

Plain lines, built as strings; colour codes (ANSI SGR) only when writing to a terminal or
asked for. One write per file's results: the reporter costs about what the JSON one does.
"""

from __future__ import annotations

from typing import TextIO

from privacy_pages.diagnostics import Severity, printable
from privacy_pages.reporters.base import ReportContext, Reporter
from privacy_pages.rules.messages import report_text

_RESET = "\x1b[0m"
STYLES = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _DIM = "\x1b[1m", "\x1b[2m"


class TextReporter(Reporter):
    name = "text"
    description = "one line per problem with a hint, then a summary (default)"

    def write(self, context: ReportContext, out: TextIO) -> None:
        color = context.color

        def paint(code: str, text: str) -> str:
            return f"{code}{text}{_RESET}" if color else text

        hint_label = paint(_DIM, report_text("hint", context.lang))
        written = 0
        for result in context.run:
            if len(context.run.failures) > written:
                out.write(self._failures(context.run.failures[written:], paint))
                written = len(context.run.failures)
            lines = []
            for d in result.diagnostics:
                style = STYLES[d.severity]
                message, hint = context.said(d)
                lines.append(
                    f"{paint(_BOLD, d.location)}: {paint(style, d.rule)} "
                    f"{paint(style, d.severity.label)} {message} {paint(_DIM, f'({d.name})')}\n"
                )
                if hint:
                    lines.append(f"    {hint_label} {hint}\n")
            if lines:
                out.write("".join(lines))
        out.write(self._failures(context.run.failures[written:], paint))
        out.write(self._summary(context) + "\n")

    @staticmethod
    def _failures(failures: list[str], paint) -> str:  # type: ignore[no-untyped-def]
        return "".join(
            f"{paint(STYLES[Severity.ERROR], 'error:')} {printable(f)}\n" for f in failures
        )

    @staticmethod
    def _summary(context: ReportContext) -> str:
        s, lang = context.summary(), context.lang
        line = report_text(
            "summary",
            lang,
            files=report_text("files_checked", lang, n=s["files"]),
            errors=report_text("errors", lang, n=s["errors"]),
            warnings=report_text("warnings", lang, n=s["warnings"]),
            info=report_text("info", lang, n=s["info"]),
        )
        if s["suppressed"]:
            line += report_text("suppressed", lang, n=s["suppressed"])
        if context.strict:
            line += report_text("strict", lang)
        return line

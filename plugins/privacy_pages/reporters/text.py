"""Human-readable output: one line per problem, a hint below, a summary; colour on a terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from privacy_pages.diagnostics import Severity, printable
from privacy_pages.reporters.base import ReportContext, Reporter
from privacy_pages.rules.messages import report_text

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class TextReporter(Reporter):
    name = "text"
    description = "one line per problem with a hint, then a summary (default)"

    def render(self, context: ReportContext) -> str:
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=context.color,
            no_color=not context.color,
            highlight=False,
            emoji=False,  # "file.yaml:100:5" must not print as "file.yaml💯5"
            markup=True,
            width=400,
            soft_wrap=True,
        )
        for failure in context.result.failures:
            console.print(f"[bold red]error:[/] {escape(printable(failure))}")
        for d in context.result.diagnostics:
            style = STYLES[d.severity]
            message, hint = context.said(d)
            console.print(
                f"[bold]{escape(d.location)}[/]: [{style}]{d.rule}[/] "
                f"[{style}]{d.severity.label}[/] {escape(message)} [dim]({escape(d.name)})[/]"
            )
            if hint:
                console.print(f"    [dim]{report_text('hint', context.lang)}[/] {escape(hint)}")
        s = context.summary()
        lang = context.lang
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
        console.print(line)
        return buffer.getvalue()

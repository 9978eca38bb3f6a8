"""Human-readable output: one line per problem, a hint below, a summary; colour on a terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from privacy_pages.diagnostics import Severity, printable
from privacy_pages.reporters.base import ReportContext, Reporter

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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
            console.print(
                f"[bold]{escape(d.location)}[/]: [{style}]{d.rule}[/] "
                f"[{style}]{d.severity.label}[/] {escape(d.message)} [dim]({escape(d.name)})[/]"
            )
            if d.hint:
                console.print(f"    [dim]hint:[/] {escape(d.hint)}")
        s = context.summary()
        line = (
            f"{_plural(s['files'], 'file')} checked: {_plural(s['errors'], 'error')}, "
            f"{_plural(s['warnings'], 'warning')}, {s['info']} info"
        )
        if s["suppressed"]:
            line += f"; {s['suppressed']} suppressed with a reason"
        if context.strict:
            line += " (--strict: warnings fail)"
        console.print(line)
        return buffer.getvalue()

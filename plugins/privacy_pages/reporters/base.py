"""What every reporter receives, and the small helpers they share.

A reporter writes a run as it streams: one file's results at a time, the summary at the
end (`privacy-pages check` keeps no file's results once written). `render` gives the same
text as one string, for callers that hold a finished `CheckResult`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import ClassVar, TextIO

from privacy_pages import __version__
from privacy_pages.check import CheckResult, CheckStream
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.rules.messages import say


@dataclass(frozen=True)
class ReportContext:
    result: CheckResult | None = None
    strict: bool = False
    color: bool = False
    version: str = __version__
    lang: str = "en"  # the language of messages and hints for people (text, github, junit)
    run: CheckStream = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.run is None:
            if self.result is None:
                raise ValueError("a report needs a result or a run")
            object.__setattr__(self, "run", CheckStream.of(self.result))

    def said(self, diagnostic: Diagnostic) -> tuple[str, str]:
        """The diagnostic's message and hint in the report's language (English if none)."""
        if self.lang == "en":
            return diagnostic.message, diagnostic.hint
        said = say(diagnostic, self.lang)
        return said.message, said.hint

    def fails(self, diagnostic: Diagnostic) -> bool:
        """Whether this diagnostic makes the run fail (errors; warnings too with --strict)."""
        threshold = Severity.WARNING if self.strict else Severity.ERROR
        return diagnostic.severity >= threshold

    def summary(self) -> dict[str, int]:
        """The run's counts; complete once its results have all been written."""
        run = self.run
        return {
            "files": run.files,
            "errors": run.count(Severity.ERROR),
            "warnings": run.count(Severity.WARNING),
            "info": run.count(Severity.INFO),
            "suppressed": run.suppressed,
            "failures": len(run.failures),
        }

    @property
    def exit_code(self) -> int:
        return self.run.exit_code(self.strict)


class Reporter:
    """Writes a check run in one format."""

    name: ClassVar[str]
    description: ClassVar[str]

    def write(self, context: ReportContext, out: TextIO) -> None:
        raise NotImplementedError

    def render(self, context: ReportContext) -> str:
        buffer = io.StringIO()
        self.write(context, buffer)
        return buffer.getvalue()


def uri(path: str) -> str:
    return path.replace("\\", "/")


def json_items(items: list[str], depth: int) -> str:
    """JSON texts as the items of an array at ``depth`` (2 spaces each), as json.dumps
    with indent=2 would lay them out inside their parents."""
    pad = "  " * depth
    return ",\n".join(pad + item.replace("\n", "\n" + pad) for item in items)

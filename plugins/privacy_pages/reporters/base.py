"""What every reporter receives, and the small helpers they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from privacy_pages import __version__
from privacy_pages.check import CheckResult
from privacy_pages.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class ReportContext:
    result: CheckResult
    strict: bool = False
    color: bool = False
    version: str = __version__

    def fails(self, diagnostic: Diagnostic) -> bool:
        """Whether this diagnostic makes the run fail (errors; warnings too with --strict)."""
        threshold = Severity.WARNING if self.strict else Severity.ERROR
        return diagnostic.severity >= threshold

    def summary(self) -> dict[str, int]:
        result = self.result
        return {
            "files": len(result.files),
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "info": result.count(Severity.INFO),
            "suppressed": len(result.suppressed),
            "failures": len(result.failures),
        }

    @property
    def exit_code(self) -> int:
        return self.result.exit_code(self.strict)


class Reporter:
    """Turns a check result into the text of one format."""

    name: ClassVar[str]
    description: ClassVar[str]

    def render(self, context: ReportContext) -> str:
        raise NotImplementedError


def uri(path: str) -> str:
    return path.replace("\\", "/")

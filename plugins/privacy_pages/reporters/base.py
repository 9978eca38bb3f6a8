"""What every reporter receives, and the small helpers they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from privacy_pages import __version__
from privacy_pages.check import CheckResult
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.rules import REGISTRY, Rule
from privacy_pages.rules.messages import say


@dataclass(frozen=True)
class ReportContext:
    result: CheckResult
    strict: bool = False
    color: bool = False
    version: str = __version__
    lang: str = "en"  # the language of messages and hints for people (text, github, junit)

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


def rules_in_use(context: ReportContext) -> list[Rule]:
    return [rule for rule in REGISTRY if rule.scope == "check"]


def uri(path: str) -> str:
    return path.replace("\\", "/")

"""The one diagnostic type shared by `check`, the MkDocs plugin and the audit."""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from typing import Any

# Control, format (bidirectional overrides...), unassigned and line-separator characters:
# shown as escapes, so that text from a YAML file or a website cannot drive a terminal.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(text: str) -> str:
    """``text`` with every control or invisible format character written as an escape."""
    if text.isprintable():
        return text
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in _HIDDEN_CATEGORIES
        else char
        for char in text
    )


class ExitCode(enum.IntEnum):
    """Every command's exit status, in one place (CI reads them)."""

    OK = 0
    FINDINGS = 1
    """Problems found: error findings (check, audit), content errors (build, export),
    suggestions pending (suggest)."""
    FAILURE = 2
    """The run itself failed: bad input or options, no browser, a broken controller file."""
    WORSE = 3
    """A client got worse than its previous run (new error findings)."""
    NOT_AUDITED = 4
    """A client could not be audited (its site did not answer, a phase saw no page): a
    result the report and the portfolio state, not a failure of the tool (that is 2)."""
    INCOMPLETE = 4
    """An audit that could not observe what it had to: the client was not audited."""
    INTERRUPTED = 130
    """Ctrl-C, as shells report SIGINT."""


class Severity(enum.IntEnum):
    """How bad a finding is; the order drives the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            allowed = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r}; use one of: {allowed}") from None


@dataclass(frozen=True, order=False)
class Diagnostic:
    """One problem at one place.

    ``path`` is a file path (content checks) or a URL (audit findings). ``line`` and
    ``column`` are 1-based, 0 when the problem concerns the whole file. ``pointer`` is the
    JSON pointer of the offending value inside the document, a second locator for tools.
    """

    rule: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    pointer: str = ""
    hint: str = ""
    name: str = ""
    suppressed_by: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Messages quote keys and values of the file: escape sequences in them must reach
        # a terminal, an XML report or a CI log as visible text.
        for name in ("path", "message", "hint"):
            value = getattr(self, name)
            if isinstance(value, str) and not value.isprintable():
                object.__setattr__(self, name, printable(value))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)

    @property
    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path

    def as_dict(self) -> dict[str, Any]:
        """The diagnostic as JSON data: `check --format json` and a draft's exported gaps."""
        item: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.label,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "message": self.message,
            "hint": self.hint,
        }
        if self.suppressed_by is not None:
            item["suppressed_by"] = self.suppressed_by
        return item


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.sort_key)

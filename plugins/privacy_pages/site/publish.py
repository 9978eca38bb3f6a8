"""The publish gate: a controller is published only when `check` finds no error in it.

`build`, `export` and the MkDocs plugin all call `assess`, which runs the very lint pass of
`privacy-pages check` (same rules, same suppressions, same cross-file id check through
`lint.duplicate_ids`), so what builds is what checks. An explicit draft option publishes a
controller with gaps anyway, every page marked as a draft naming the gaps and `noindex`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from privacy_pages.check import CheckOptions, ControllerId, check_document, controller_id
from privacy_pages.diagnostics import Diagnostic, Severity, sort_diagnostics
from privacy_pages.model.yaml_source import LoadedDocument

_LOAD_FAMILIES = ("YAML", "SCHEMA")  # the file could not be read into the model's shape
DRAFT_OPTIONS = "`--draft`, or `draft: true` in mkdocs.yml"


def draft_hint(options: str = DRAFT_OPTIONS) -> str:
    """What to do about gaps: fix them, or say explicitly that drafts are wanted."""
    return f"fix them, or publish drafts explicitly ({options})"


DRAFT_HINT = draft_hint()


@dataclass(frozen=True)
class Assessment:
    """One controller file as the gate sees it."""

    document: LoadedDocument
    load_errors: tuple[Diagnostic, ...]  # YAML or schema: the file cannot be rendered at all
    gaps: tuple[Diagnostic, ...]  # error-level findings of the rules: renderable as a draft

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def renderable(self) -> bool:
        return not self.load_errors and isinstance(self.document.data, dict)

    @property
    def publishable(self) -> bool:
        return self.renderable and not self.gaps

    @property
    def identity(self) -> ControllerId | None:
        return controller_id(self.document)


def assess(document: LoadedDocument, as_of: datetime.date | None = None) -> Assessment:
    """Split a loaded document's error-level diagnostics into blocking and draftable ones,
    under the law in force on ``as_of`` (today when None), as `check --as-of` does."""
    result = check_document(document, CheckOptions(as_of=as_of))
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    load_errors = [d for d in errors if d.rule.startswith(_LOAD_FAMILIES)]
    gaps = [d for d in errors if d not in load_errors]
    return Assessment(document, tuple(load_errors), tuple(gaps))


def report(title: str, diagnostics: list[Diagnostic], hint: str = "") -> str:
    """A block of one line per diagnostic, each naming its file, line and what to do."""
    lines = [title + (f"; {hint}" if hint else "") + ":"]
    lines += [
        f"  {d.location}: {d.rule} {d.message}" + (f" ({d.hint})" if d.hint else "")
        for d in sort_diagnostics(diagnostics)
    ]
    return "\n".join(lines)


def display_path(path: Path) -> str:
    """The path as a person typed it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

"""The publish gate: a controller is published only when `check` finds no error in it.

`build`, `export` and the MkDocs plugin all call `assess`, which runs the very lint pass of
`privacy-pages check` (same rules, same suppressions, same project configuration, same
cross-file id check through `check.duplicate_ids`), so what builds is what checks. An
explicit draft option publishes a controller with gaps anyway, every page marked as a draft
naming the gaps and `noindex`. The model the gate checks is the one the pages render.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from privacy_pages.check import CheckOptions, ControllerId, check_controller, controller_id
from privacy_pages.diagnostics import Diagnostic, Severity, sort_diagnostics
from privacy_pages.model import Controller
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

    controller: Controller
    load_errors: tuple[Diagnostic, ...]  # YAML or schema: the file cannot be rendered at all
    gaps: tuple[Diagnostic, ...]  # error-level findings of the rules: renderable as a draft

    @property
    def document(self) -> LoadedDocument:
        assert self.controller.document is not None
        return self.controller.document

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


def assess(controller: Controller, options: CheckOptions | None = None) -> Assessment:
    """Split the error-level diagnostics `check` gives a controller (with the project's
    ``options``: its severities and rule choices) into blocking and draftable ones."""
    result = check_controller(controller, options or CheckOptions())
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    # A file that could not be read into the model's shape cannot be rendered, whatever
    # severity a configuration gives its YAML or schema problems.
    document = controller.document
    unreadable = [
        d
        for d in (document.diagnostics if document is not None else [])
        if d.severity is Severity.ERROR and d.rule.startswith(_LOAD_FAMILIES)
    ]
    load_errors = [d for d in errors if d.rule.startswith(_LOAD_FAMILIES)]
    load_errors += [d for d in unreadable if d.sort_key not in {e.sort_key for e in load_errors}]
    gaps = [d for d in errors if not d.rule.startswith(_LOAD_FAMILIES)]
    return Assessment(controller, tuple(sort_diagnostics(load_errors)), tuple(gaps))


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

"""Load every controller of a content folder for a build, with all problems at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import discover, load_controller
from ..diagnostics import Diagnostic, Severity, sort_diagnostics


@dataclass
class LoadedSite:
    """The valid controllers of a folder, and every error that stops a build."""

    controllers: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)

    def error_report(self) -> str:
        lines = [f"privacy-pages: {len(self.errors)} problem(s) in the controller files; "
                 f"fix them (privacy-pages check shows details):"]
        lines += [f"  {d.location}: {d.rule} {d.message}" + (f" ({d.hint})" if d.hint else "")
                  for d in sort_diagnostics(self.errors)]
        return "\n".join(lines)


def _display(path: Path) -> str:
    """The path as a person typed it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_site(content_dir: str | Path) -> LoadedSite:
    """Every controller file under ``content_dir``; errors are collected, never raised."""
    site = LoadedSite()
    root = Path(content_dir)
    if not root.is_dir():
        site.errors.append(Diagnostic("BUILD001", Severity.ERROR, str(root), 0, 0,
                                      "content folder not found",
                                      hint="create it or set content_dir"))
        return site
    paths, _missing = discover([root])
    seen: dict[str, str] = {}
    for path in paths:
        document = load_controller(path, display_path=_display(path))
        errors = [d for d in document.diagnostics if d.severity is Severity.ERROR]
        if errors or document.data is None:
            site.errors.extend(errors)
            continue
        controller_id = document.data["id"]
        if controller_id in seen:
            line, column = document.positions.of_value("/id")
            site.errors.append(Diagnostic(
                "BUILD002", Severity.ERROR, document.path, line, column,
                f"id '{controller_id}' is already used by {seen[controller_id]}",
                pointer="/id", hint="give each controller its own id",
            ))
            continue
        seen[controller_id] = document.path
        site.controllers.append(document.data)
    return site

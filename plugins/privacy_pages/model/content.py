"""Find controller files, read them and validate them against the schema.

Everything downstream (lint rules, pages, the audit) starts from `load_controller`, or from
`read_controller` for the model itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from privacy_pages.diagnostics import Diagnostic, Severity, sort_diagnostics
from privacy_pages.model.controller import Controller
from privacy_pages.model.schema import validate
from privacy_pages.model.yaml_source import DEFAULT_MAX_BYTES, LoadedDocument, load_file

CONTROLLER_SUFFIXES = (".yaml", ".yml")


class ContentError(Exception):
    """A controller file cannot be used; ``diagnostics`` says where and why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sort_diagnostics(diagnostics)
        lines = [f"{d.location}: {d.rule} {d.message}" for d in self.diagnostics]
        super().__init__("\n".join(lines))


def _walk(root: Path, unreadable: list[str] | None) -> list[Path]:
    """Controller files below ``root``, hidden files and folders left out.

    ``Path.rglob`` skips a folder it may not read without a word; here each one is named in
    ``unreadable`` ("DIR: cannot read folder (Permission denied)") so the run can fail.
    """

    def refused(error: OSError) -> None:
        if unreadable is not None:
            unreadable.append(
                f"{error.filename or root}: cannot read folder ({error.strerror or error})"
            )

    found: list[Path] = []
    for folder, subfolders, names in os.walk(root, onerror=refused):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if path.suffix in CONTROLLER_SUFFIXES and not name.startswith(".") and path.is_file():
                found.append(path)
    return sorted(found)


def discover(
    paths: Iterable[str | Path], *, unreadable: list[str] | None = None
) -> tuple[list[Path], list[str]]:
    """Controller files under ``paths`` (files or folders), and the paths that do not exist.

    Folders that cannot be listed are appended to ``unreadable`` when it is given.
    """
    found: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(_walk(path, unreadable))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(str(raw))
    unique = list(dict.fromkeys(found))
    return unique, missing


def load_controller(
    path: str | Path, *, display_path: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> LoadedDocument:
    """Read and schema-validate one controller file; problems are in ``.diagnostics``."""
    document = load_file(path, display_path=display_path, max_bytes=max_bytes)
    if document.data is not None:
        document.diagnostics.extend(validate(document))
    return document


def read_controller(
    path: str | Path, *, display_path: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Controller:
    """`load_controller` as the model the rules, the gate and the pages read (one object
    from the file to the page; its ``document`` keeps the positions for diagnostics)."""
    return Controller.from_document(
        load_controller(path, display_path=display_path, max_bytes=max_bytes)
    )


def require_controller(path: str | Path) -> LoadedDocument:
    """Like `load_controller`, but raise `ContentError` when the file has any error."""
    document = load_controller(path)
    errors = [d for d in document.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise ContentError(errors)
    return document

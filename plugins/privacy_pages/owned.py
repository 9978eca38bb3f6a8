"""Which folder a command may replace whole: a new one, an empty one, or one it marked as its own.

`build` replaces its site folder, `portfolio` its output folder, `audit` its report folder.
Pointed at the project (``--out .``) or at the controller files, replacing would delete
them; so a folder is replaced only when a previous run of the same command left its marker
file in that very folder (a marker in a parent folder does not count, nor a marker that is
a symlink), and never when it contains the working folder or what the command must keep
(the content folder, the audits it reads).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


class NotOurFolder(Exception):
    """The folder holds files the command did not write; ``str(error)`` is one line."""


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path)).resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@dataclass(frozen=True)
class OwnedFolder:
    """A kind of output folder, replaced whole, and the marker that says who wrote it."""

    marker: str
    command: str  # "privacy-pages build": says who wrote the marker, and who refuses
    noun: str  # "site folder"
    example: str  # "site/": what to give instead
    legacy: Callable[[Path], bool] | None = None
    """Recognises a folder written before the marker existed (only names the command writes)."""

    @property
    def marker_text(self) -> str:
        return (
            f"Written by {self.command}. This folder is replaced whole by its next run;\n"
            "do not keep other files in it.\n"
        )

    def check(self, folder: Path, *, keep: Iterable[Path] = (), apart: Iterable[Path] = ()) -> None:
        """Raise `NotOurFolder` unless ``folder`` may be replaced whole.

        ``folder`` must not contain the working folder nor any of ``keep``; it must neither
        contain nor lie inside any of ``apart`` (the audits a portfolio reads).
        """
        target = Path(os.path.abspath(folder))
        resolved = target.resolve()
        apart = list(apart)
        for kept in (Path.cwd(), *keep, *apart):
            if _inside(_absolute(kept), resolved):
                raise NotOurFolder(
                    f"{folder}: the {self.noun} would contain {kept}, which {self.command} "
                    f"replaces whole; choose a folder of its own, such as {self.example}"
                )
        for other in apart:
            if _inside(resolved, _absolute(other)):
                raise NotOurFolder(
                    f"{folder}: the {self.noun} would be inside {other}; write it elsewhere, "
                    f"such as {self.example}"
                )
        if not os.path.lexists(target):
            return
        if not resolved.is_dir():
            raise NotOurFolder(f"{folder}: exists and is not a folder; choose another {self.noun}")
        if self.owns(resolved):
            return
        raise NotOurFolder(
            f"{folder}: this folder holds files that {self.command} did not write (no "
            f"{self.marker} in it); the {self.noun} is replaced whole, so give a new or empty "
            "folder, or empty this one yourself"
        )

    def owns(self, folder: Path) -> bool:
        """Empty, marked by us in that very folder, or written by us before markers existed."""
        marker = folder / self.marker
        if marker.is_file() and not marker.is_symlink():
            return True
        if not any(folder.iterdir()):
            return True
        return self.legacy is not None and self.legacy(folder)

    def mark(self, folder: Path) -> None:
        """Leave the marker that lets the next run replace ``folder``."""
        (folder / self.marker).write_text(self.marker_text, encoding="utf-8")


def holds_only(folder: Path, names: Iterable[str], required: Iterable[str]) -> bool:
    """``folder`` holds some of ``required`` and nothing but ``names`` (no symlink)."""
    allowed = set(names)
    entries = list(folder.iterdir())
    present = {entry.name for entry in entries}
    return (
        bool(present & set(required))
        and present <= allowed
        and not any(entry.is_symlink() for entry in entries)
    )

"""Dated audit runs: ``<out>/<controller id>/<UTC timestamp>/``, a pointer to the latest, retention.

Nothing earlier is overwritten: each run gets a new folder named after the UTC second it
started (``20261129T105512Z``, ``-2`` appended when two runs share a second). ``LATEST`` in
the controller's folder names the newest run; it is a small text file rather than a
symlink so that CI artifacts and object stores keep it. Retention (``--keep N``) removes
only real folders (never a symlink) named as runs whose own ``run.json`` says they are a run
of that very controller. The controller's folder is built by `confined_path`: an id never
leads out of the output root. Records are read through `privacy_pages.inputs` and the
run schema (``schemas/audit-run.schema.json``).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from privacy_pages.atomic import write_text_atomic
from privacy_pages.confined import UnsafePath, confined_path
from privacy_pages.inputs import InputError, load_json, read_regular

RUN_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}Z(-[0-9]+)?$")
LATEST_FILE = "LATEST"
RUN_FILE = "run.json"
REPORT_FILE = "report.json"
RUN_FORMAT_VERSION = 1
HISTORY_DIR = "_history"
"""One history file per run, beside the controllers' folders (an id starts with a letter or
a digit, so no controller's folder has this name)."""
RUN_SCHEMA = "audit-run.schema.json"


def run_name(moment: datetime | None = None) -> str:
    """The folder name of a run started at ``moment`` (UTC, to the second)."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _sort_key(path: Path) -> tuple[str, int]:
    stamp, _, suffix = path.name.partition("-")
    return stamp, int(suffix or 1)


@dataclass(frozen=True)
class ControllerRuns:
    """The run folders of one controller under one output root."""

    root: Path
    controller_id: str

    @property
    def folder(self) -> Path:
        """``root/<id>``; `UnsafePath` when the id would lead out of the root."""
        return confined_path(self.root, self.controller_id, what="controller id")

    def check_writable(self) -> None:
        """`UnsafePath` unless runs may be written here: inside the root, not a symlink."""
        folder = self.folder
        if folder.is_symlink():
            raise UnsafePath(
                f"{folder}: the client's folder is a symlink; runs are not written there"
            )

    def new_run_dir(self, moment: datetime | None = None) -> Path:
        """A run folder name not used yet (the folder itself is created by the audit)."""
        base = run_name(moment)
        candidate, n = self.folder / base, 1
        while candidate.exists():
            n += 1
            candidate = self.folder / f"{base}-{n}"
        return candidate

    def runs(self) -> list[Path]:
        """Completed runs, oldest first: folders named as runs that hold a ``run.json``."""
        if not self.folder.is_dir():
            return []
        found = [
            p
            for p in self.folder.iterdir()
            if RUN_NAME.match(p.name)
            and p.is_dir()
            and not p.is_symlink()
            and (p / RUN_FILE).is_file()
        ]
        return sorted(found, key=_sort_key)

    def latest(self) -> Path | None:
        """The run ``LATEST`` names, else the newest completed run."""
        try:
            name = read_regular(self.folder / LATEST_FILE, 1024).decode("utf-8").strip()
        except (InputError, UnicodeDecodeError):
            name = ""
        run = self.folder / name
        if RUN_NAME.match(name) and not run.is_symlink() and (run / RUN_FILE).is_file():
            return run
        runs = self.runs()
        return runs[-1] if runs else None

    def run_of(self, path: Path) -> str:
        """The name of the run folder that holds ``path`` (a report inside a run)."""
        return path.relative_to(self.folder).parts[0]

    def set_latest(self, run_dir: Path) -> None:
        """Point ``LATEST`` at ``run_dir``: a file of ours, replaced (never followed if a link)."""
        pointer = self.folder / LATEST_FILE
        if pointer.is_symlink():
            pointer.unlink()
        write_text_atomic(pointer, run_dir.name + "\n")

    def owned_runs(self) -> list[Path]:
        """Runs whose own ``run.json`` says we wrote them for this controller, oldest first."""
        owned = []
        for run in self.runs():
            record = read_run_record(run)
            if record is not None and record.get("controller") == self.controller_id:
                owned.append(run)
        return owned

    def prune(self, keep: int) -> list[Path]:
        """Remove the oldest of this controller's own runs beyond ``keep`` (never the
        latest); returns what went. A folder that cannot be removed is left, not fatal."""
        runs = self.owned_runs()
        latest = self.latest()
        gone = []
        for run in runs[: max(0, len(runs) - keep)]:
            if run == latest or run.is_symlink():
                continue
            try:
                shutil.rmtree(run)
            except OSError:
                continue
            gone.append(run)
        return gone


def write_run_record(run_dir: Path, record: Mapping[str, Any]) -> None:
    """``run.json``: what the portfolio reads without opening the full report."""
    run_dir.mkdir(parents=True, exist_ok=True)
    data = {"format_version": RUN_FORMAT_VERSION, "run": run_dir.name, **record}
    write_text_atomic(run_dir / RUN_FILE, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def load_run_record(run_dir: Path) -> dict[str, Any]:
    """``run.json`` as the run schema says it is, else `InputError` naming the file."""
    return load_json(
        run_dir / RUN_FILE,
        RUN_SCHEMA,
        "a run record of `privacy-pages audit --all`",
        "remove the run folder, or run the audit again",
    )


def read_run_record(run_dir: Path) -> dict[str, Any] | None:
    """``run.json``, or None when it is missing or not a valid run record."""
    try:
        return load_run_record(run_dir)
    except InputError:
        return None


def controllers_under(roots: Iterable[Path]) -> dict[str, list[Path]]:
    """Every controller id found under the output roots, with its run folders, oldest first.

    Several roots (one per shard or machine) merge: a controller's runs are the union.
    """
    found: dict[str, list[Path]] = {}
    for root in roots:
        for folder in _children(root):
            if folder.is_symlink():
                continue
            runs = ControllerRuns(root, folder.name).runs()
            if runs:
                found.setdefault(folder.name, []).extend(runs)
    return {cid: sorted(runs, key=_sort_key) for cid, runs in sorted(found.items())}


def _children(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from (p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))

"""Load and render every controller of a content folder for a build, all problems at once.

Loading (YAML + schema) and rendering are pure per file, so on a machine with several cores
they run in forked worker processes; the result is the same as the serial path, in the same
order. Forking is only used when the calling process runs a single thread (a fork next to
other threads can deadlock), so `mkdocs serve` renders serially.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content import discover, load_controller
from ..diagnostics import Diagnostic, Severity, sort_diagnostics
from .layout import Layout
from .pages import RenderedPage, render_pages, warm_up

PARALLEL_THRESHOLD = 16
"""Below this many files, starting workers costs more than it saves."""


@dataclass
class LoadedSite:
    """The valid controllers of a folder, their rendered pages, and every blocking error."""

    controllers: list[dict[str, Any]] = field(default_factory=list)
    pages: list[RenderedPage] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)

    def error_report(self) -> str:
        header = (
            f"privacy-pages: {len(self.errors)} problem(s) in the controller files; "
            "fix them (privacy-pages check shows details):"
        )
        lines = [header]
        lines += [
            f"  {d.location}: {d.rule} {d.message}" + (f" ({d.hint})" if d.hint else "")
            for d in sort_diagnostics(self.errors)
        ]
        return "\n".join(lines)


@dataclass
class _Loaded:
    data: dict[str, Any] | None
    id_position: tuple[int, int]
    path: str
    errors: list[Diagnostic]
    pages: list[RenderedPage]


def _display(path: Path) -> str:
    """The path as a person typed it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_and_render(path: Path, layout: Layout | None, languages: Sequence[str] | None) -> _Loaded:
    document = load_controller(path, display_path=_display(path))
    errors = [d for d in document.diagnostics if d.severity is Severity.ERROR]
    if errors or document.data is None:
        return _Loaded(None, (0, 0), document.path, errors, [])
    pages = render_pages(document.data, layout, languages) if layout is not None else []
    return _Loaded(document.data, document.positions.of_value("/id"), document.path, [], pages)


def _load_chunk(
    paths: list[Path], layout: Layout | None, languages: Sequence[str] | None
) -> list[_Loaded]:
    return [_load_and_render(path, layout, languages) for path in paths]


def _workers(count: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (
        count < PARALLEL_THRESHOLD
        or (cpus or 1) < 2
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    return min(cpus or 1, 4)


def load_site(
    content_dir: str | Path, layout: Layout | None = None, languages: Sequence[str] | None = None
) -> LoadedSite:
    """Every controller under ``content_dir``, rendered with ``layout`` when one is given.

    Errors are collected, never raised: one bad file does not hide the others' problems.
    """
    site = LoadedSite()
    root = Path(content_dir)
    if not root.is_dir():
        site.errors.append(
            Diagnostic(
                "BUILD001",
                Severity.ERROR,
                _display(root),
                0,
                0,
                "content folder not found",
                hint="create it or set content_dir in mkdocs.yml",
            )
        )
        return site
    unreadable: list[str] = []
    paths, _missing = discover([root], unreadable=unreadable)
    for problem in unreadable:
        folder, _, reason = problem.partition(": ")
        site.errors.append(
            Diagnostic(
                "BUILD001", Severity.ERROR, folder, 0, 0, reason, hint="check its permissions"
            )
        )
    workers = _workers(len(paths))
    if workers == 1:
        loaded = _load_chunk(paths, layout, languages)
    else:
        # The first file is done here: it compiles the schema validator and the templates
        # once, and the forked workers inherit them instead of compiling them each.
        loaded = _load_chunk(paths[:1], layout, languages)
        warm_up(languages or ["en", "fr"])
        rest = paths[1:]
        size = max(1, len(rest) // (workers * 4))
        chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = pool.map(
                _load_chunk, chunks, [layout] * len(chunks), [languages] * len(chunks)
            )
            loaded += [item for chunk in results for item in chunk]
    seen: dict[str, str] = {}
    for item in loaded:
        if item.data is None:
            site.errors.extend(item.errors)
            continue
        controller_id = item.data["id"]
        if controller_id in seen:
            line, column = item.id_position
            site.errors.append(
                Diagnostic(
                    "BUILD002",
                    Severity.ERROR,
                    item.path,
                    line,
                    column,
                    f"id '{controller_id}' is already used by {seen[controller_id]}",
                    pointer="/id",
                    hint="give each controller its own id",
                )
            )
            continue
        seen[controller_id] = item.path
        site.controllers.append(item.data)
        site.pages.extend(item.pages)
    return site

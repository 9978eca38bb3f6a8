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

from privacy_pages.check import CheckOptions, ControllerId, duplicate_ids
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.model import Controller
from privacy_pages.model.content import discover, read_controller
from privacy_pages.render.draft import as_draft
from privacy_pages.render.layout import Layout
from privacy_pages.render.pages import RenderedPage, render_pages, warm_up
from privacy_pages.site import publish

PARALLEL_THRESHOLD = 16
"""Below this many files, starting workers costs more than it saves."""


@dataclass
class LoadedSite:
    """The publishable controllers of a folder, their rendered pages, and what was held back.

    ``errors`` block the build; ``skipped`` are files left out of a draft build (they cannot
    be rendered at all); ``drafts`` maps a controller id to the gaps its pages name.
    """

    controllers: list[Controller] = field(default_factory=list)
    pages: list[RenderedPage] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    skipped: list[Diagnostic] = field(default_factory=list)
    drafts: dict[str, list[Diagnostic]] = field(default_factory=dict)
    missing_folder: str | None = None

    def error_report(self) -> str:
        if self.missing_folder:
            return (
                f"privacy-pages: content folder {self.missing_folder} not found; "
                "create it or set content_dir in mkdocs.yml"
            )
        files = len({d.path for d in self.errors})
        return publish.report(
            f"privacy-pages: {files} controller file(s) not published, "
            f"{len(self.errors)} error(s) (as `privacy-pages check` reports them)",
            self.errors,
            publish.DRAFT_HINT,
        )


@dataclass
class _Loaded:
    model: Controller | None  # None: the file cannot be rendered
    identity: ControllerId | None
    path: str
    load_errors: list[Diagnostic]
    gaps: list[Diagnostic]
    pages: list[RenderedPage]


@dataclass(frozen=True)
class _Job:
    """What every file of one build is loaded and rendered with."""

    layout: Layout | None
    languages: Sequence[str] | None
    drafts: bool
    options: CheckOptions


def _load_and_render(path: Path, job: _Job) -> _Loaded:
    model = read_controller(path, display_path=publish.display_path(path))
    verdict = publish.assess(model, job.options)
    if not verdict.renderable:
        return _Loaded(None, None, verdict.path, list(verdict.load_errors), [], [])
    gaps = list(verdict.gaps)
    pages: list[RenderedPage] = []
    if job.layout is not None and (job.drafts or not gaps):
        pages = render_pages(model, job.layout, job.languages, as_of=job.options.as_of)
        if gaps:
            pages = [as_draft(page, gaps) for page in pages]
    return _Loaded(model, verdict.identity, verdict.path, [], gaps, pages)


def _load_chunk(paths: list[Path], job: _Job) -> list[_Loaded]:
    return [_load_and_render(path, job) for path in paths]


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
    content_dir: str | Path,
    layout: Layout | None = None,
    languages: Sequence[str] | None = None,
    *,
    drafts: bool = False,
    options: CheckOptions | None = None,
) -> LoadedSite:
    """Every controller under ``content_dir`` through the publish gate (`check` with the
    project's ``options``, the law of ``options.as_of``), rendered with ``layout`` when one
    is given.

    Without ``drafts``, any error `check` would report blocks the build (collected, never
    raised: one bad file does not hide the others' problems). With ``drafts``, controllers
    with gaps are published as drafts and files that cannot be rendered at all (broken
    YAML, schema errors, a duplicate id) are left out, listed in ``skipped``.
    """
    site = LoadedSite()
    root = Path(content_dir)
    if not root.is_dir():
        site.missing_folder = publish.display_path(root)
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
    job = _Job(layout, languages, drafts, options or CheckOptions())
    workers = _workers(len(paths))
    if workers == 1:
        loaded = _load_chunk(paths, job)
    else:
        # The first file is done here: it compiles the schema validator and the templates
        # once, and the forked workers inherit them instead of compiling them each.
        loaded = _load_chunk(paths[:1], job)
        warm_up(languages or ["en", "fr"])
        rest = paths[1:]
        size = max(1, len(rest) // (workers * 4))
        chunks = [rest[i : i + size] for i in range(0, len(rest), size)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = pool.map(_load_chunk, chunks, [job] * len(chunks))
            loaded += [item for chunk in results for item in chunk]
    # Two files with one id would publish at one address: held back whatever the options.
    duplicates = {d.path: d for d in duplicate_ids(item.identity for item in loaded)}
    held_back = site.skipped if drafts else site.errors
    for item in loaded:
        if item.model is None:
            held_back.extend(item.load_errors)
            continue
        if item.path in duplicates:
            held_back.append(duplicates[item.path])
            continue
        if item.gaps:
            if not drafts:
                site.errors.extend(item.gaps)
                continue
            site.drafts[item.model.id] = item.gaps
        site.controllers.append(item.model)
        site.pages.extend(item.pages)
    return site

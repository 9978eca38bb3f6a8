"""One controller's pages as files, for sites not built with MkDocs (`privacy-pages export`).

The same gate and rendering as the site: HTML fragments or Markdown per page, or the
controller's JSON or TCF disclosure. A draft (exported on request) says so in every file.
Each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from privacy_pages.atomic import write_text_atomic
from privacy_pages.check import CheckOptions
from privacy_pages.confined import UnsafePath, confined_path, split_relative
from privacy_pages.model.content import read_controller
from privacy_pages.render import Layout, render_pages
from privacy_pages.render.draft import NOINDEX, as_draft
from privacy_pages.render.exports import controller_json, published_gaps, tcf_json
from privacy_pages.render.html import markdown_to_html
from privacy_pages.site import publish

FORMATS = ("html", "markdown", "json", "tcf")


class ExportRefused(Exception):
    """The controller is not exported: ``str(error)`` says why, file by file and line by
    line (``findings``: the gate refused it; otherwise a bad request, such as a language)."""

    def __init__(self, message: str, *, findings: bool) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass(frozen=True)
class ExportRequest:
    controller: Path
    format: str = "html"
    languages: Sequence[str] | None = None
    out: Path = Path("export")
    draft: bool = False
    options: CheckOptions | None = None


def export_controller(request: ExportRequest) -> list[Path]:
    """Write the export; returns the files written. Raises `ExportRefused`, or `OSError`."""
    path = request.controller
    model = read_controller(path, display_path=publish.display_path(path))
    verdict = publish.assess(model, request.options)
    blocking = list(verdict.load_errors) + ([] if request.draft else list(verdict.gaps))
    if blocking:
        hint = "" if verdict.load_errors else publish.draft_hint("`--draft`")
        report = publish.report("privacy-pages export: not exported", blocking, hint)
        raise ExportRefused(report, findings=True)
    gaps = published_gaps(verdict.gaps, Path.cwd())
    out = request.out
    layout = Layout(prefix="", directory_urls=False)
    if request.format == "json":
        return [
            _write(
                out, layout.export_path(model.id, "controller_json"), controller_json(model, gaps)
            )
        ]
    if request.format == "tcf":
        return [_write(out, layout.export_path(model.id, "tcf_json"), tcf_json(model, gaps))]
    unknown = sorted(set(request.languages or []) - set(model.languages))
    if unknown:
        raise ExportRefused(
            f"privacy-pages export: {path}: language(s) {', '.join(unknown)} not "
            f"declared; the file declares {', '.join(model.languages)}",
            findings=False,
        )
    written = []
    as_of = request.options.as_of if request.options else None
    for page in render_pages(model, layout, request.languages, as_of=as_of):
        page = as_draft(page, gaps) if gaps else page
        if request.format == "markdown":
            written.append(_write(out, page.src_path, page.markdown))
        else:
            fragment = markdown_to_html(page.markdown)
            fragment = f"{NOINDEX}\n{fragment}" if gaps else fragment
            written.append(_write(out, layout.url_of(page.src_path), fragment))
    return written


def _write(out: Path, relative: str, text: str) -> Path:
    """Write ``out/relative`` (a path of the layout), never outside ``out``."""
    try:
        path = confined_path(out, *split_relative(relative))
    except UnsafePath as error:
        raise ExportRefused(f"privacy-pages export: {error}", findings=False) from None
    write_text_atomic(path, text)
    return path

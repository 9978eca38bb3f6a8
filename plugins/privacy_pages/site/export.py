"""One controller's pages as files, for sites not built with MkDocs (`privacy-pages export`).

The same gate and rendering as the site: HTML fragments or Markdown per page, the
controller's JSON or TCF disclosure, or, from the same cookie list, the configuration of its
consent banner (vanilla-cookieconsent, tarteaucitron.js, Klaro!, Orejime). A draft (exported
on request) says so in every page file. Each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from privacy_pages.atomic import write_text_atomic
from privacy_pages.banner import FORMATS as BANNERS
from privacy_pages.banner.guide import banner_guide, banner_warnings
from privacy_pages.banner.model import read_banner
from privacy_pages.check import CheckOptions
from privacy_pages.confined import UnsafePath, confined_path, split_relative
from privacy_pages.model import Controller
from privacy_pages.model.content import read_controller
from privacy_pages.render import Layout, render_pages
from privacy_pages.render.draft import NOINDEX, as_draft
from privacy_pages.render.exports import controller_json, published_gaps, tcf_json
from privacy_pages.render.html import markdown_to_html
from privacy_pages.site import publish

FORMATS = ("html", "markdown", "json", "tcf", *BANNERS)


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
    policy_url: str | None = None
    """Banner formats: the cookie policy's address (``{lang}`` for the language)."""
    url_prefix: str = "clients"
    """Banner formats: the folder the pages are published under (for the default policy URL)."""


@dataclass(frozen=True)
class Exported:
    """What an export wrote, and for a banner what the user must still do."""

    files: list[Path]
    warnings: list[str] = field(default_factory=list)
    """Gaps between the file and the banner that an audit of the page would report."""
    guide: str | None = None
    """Banner formats: the lines to add to each page and how to mark each script."""


def export_controller(request: ExportRequest) -> Exported:
    """Write the export. Raises `ExportRefused`, or `OSError`."""
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
        relative = layout.export_path(model.id, "controller_json")
        return Exported([_write(out, relative, controller_json(model, gaps))])
    if request.format == "tcf":
        relative = layout.export_path(model.id, "tcf_json")
        return Exported([_write(out, relative, tcf_json(model, gaps))])
    unknown = sorted(set(request.languages or []) - set(model.languages))
    if unknown:
        raise ExportRefused(
            f"privacy-pages export: {path}: language(s) {', '.join(unknown)} not "
            f"declared; the file declares {', '.join(model.languages)}",
            findings=False,
        )
    if request.format in BANNERS:
        return _export_banner(request, model, draft=bool(gaps))
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
    return Exported(written)


def _export_banner(request: ExportRequest, model: Controller, *, draft: bool) -> Exported:
    fmt = BANNERS[request.format]()
    banner = read_banner(
        model,
        consent_cookie=fmt.consent_cookie,
        languages=request.languages,
        policy_url=request.policy_url,
        url_prefix=request.url_prefix,
    )
    target = _write(request.out, f"{model.id}/{fmt.file_name}", fmt.config(banner))
    return Exported(
        [target],
        warnings=banner_warnings(banner, fmt, request.controller, draft),
        guide=banner_guide(banner, fmt, target.name),
    )


def _write(out: Path, relative: str, text: str) -> Path:
    """Write ``out/relative`` (a path of the layout), never outside ``out``."""
    try:
        path = confined_path(out, *split_relative(relative))
    except UnsafePath as error:
        raise ExportRefused(f"privacy-pages export: {error}", findings=False) from None
    write_text_atomic(path, text)
    return path

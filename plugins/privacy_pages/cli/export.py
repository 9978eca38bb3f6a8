"""`privacy-pages export`: one controller's pages as HTML fragments or Markdown, or its JSON.

For agencies whose client site is not built with MkDocs: the same rendering as the site,
written as files to paste or include. Each file is written atomically.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privacy_pages.atomic import write_text_atomic
from privacy_pages.diagnostics import ExitCode
from privacy_pages.model.content import load_controller
from privacy_pages.render import Layout, render_pages
from privacy_pages.render.draft import NOINDEX, as_draft
from privacy_pages.render.exports import controller_json, published_gaps, tcf_json
from privacy_pages.render.html import markdown_to_html
from privacy_pages.rules.sources import parse_day
from privacy_pages.site import publish

HELP = "write one controller's pages as HTML fragments or Markdown, or its JSON / TCF export"

FORMATS = ("html", "markdown", "json", "tcf")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("controller", metavar="CONTROLLER", help="controller YAML file")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html fragments, markdown, json (the controller) or tcf "
        "(IAB TCF device storage disclosure); default html",
    )
    parser.add_argument(
        "--lang",
        metavar="LANG[,LANG]",
        default=None,
        help="languages to export (default: every language of the controller)",
    )
    parser.add_argument(
        "--out", metavar="DIR", default="export", help="output folder (default: export/)"
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help="export a controller that `check` rejects as a draft (pages: a notice naming the "
        'gaps, noindex; JSON: "draft": true and the gaps first) instead of refusing',
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="check and write the pages for the law in force on this day (default: today)",
    )


def run(args: argparse.Namespace) -> int:
    path = Path(args.controller)
    if not path.is_file():
        print(f"privacy-pages export: {path}: no such file", file=sys.stderr)
        return ExitCode.FAILURE
    try:
        as_of = parse_day(args.as_of) if args.as_of else None
    except ValueError as error:
        print(f"privacy-pages export: error: --as-of: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    document = load_controller(path, display_path=publish.display_path(path))
    verdict = publish.assess(document, as_of)
    blocking = list(verdict.load_errors) + ([] if args.draft else list(verdict.gaps))
    if blocking:
        hint = "" if verdict.load_errors else publish.draft_hint("`--draft`")
        print(publish.report("privacy-pages export: not exported", blocking, hint), file=sys.stderr)
        return ExitCode.FINDINGS
    data = verdict.document.data
    assert isinstance(data, dict)
    gaps = published_gaps(verdict.gaps, Path.cwd())
    out = Path(args.out)
    layout = Layout(prefix="", directory_urls=False)
    written: list[Path] = []
    try:
        if args.format == "json":
            written.append(
                _write(out / data["id"] / "controller.json", controller_json(data, gaps))
            )
        elif args.format == "tcf":
            written.append(_write(out / data["id"] / "tcf-disclosures.json", tcf_json(data, gaps)))
        else:
            languages = [x.strip() for x in args.lang.split(",")] if args.lang else None
            unknown = sorted(set(languages or []) - set(data["languages"]))
            if unknown:
                print(
                    f"privacy-pages export: {path}: language(s) {', '.join(unknown)} not "
                    f"declared; the file declares {', '.join(data['languages'])}",
                    file=sys.stderr,
                )
                return ExitCode.FAILURE
            for page in render_pages(data, layout, languages, as_of=as_of):
                page = as_draft(page, gaps) if gaps else page
                if args.format == "markdown":
                    written.append(_write(out / page.src_path, page.markdown))
                else:
                    fragment = markdown_to_html(page.markdown)
                    fragment = f"{NOINDEX}\n{fragment}" if gaps else fragment
                    written.append(_write(out / layout.url_of(page.src_path), fragment))
    except OSError as error:
        print(f"privacy-pages export: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    for file in written:
        print(file)
    return ExitCode.OK


def _write(path: Path, text: str) -> Path:
    write_text_atomic(path, text)
    return path

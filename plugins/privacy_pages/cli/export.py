"""`privacy-pages export`: the command line of `privacy_pages.site.export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privacy_pages.config import ConfigError, project_config
from privacy_pages.diagnostics import ExitCode
from privacy_pages.rules.sources import parse_day
from privacy_pages.site.export import FORMATS, ExportRefused, ExportRequest, export_controller

HELP = "write one controller's pages as HTML fragments or Markdown, or its JSON / TCF export"


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
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="project configuration (default: .privacy-pages.yaml here or in a parent folder)",
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
    try:
        config = project_config(Path.cwd(), Path(args.config) if args.config else None)
    except ConfigError as error:
        print(f"privacy-pages export: error: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    request = ExportRequest(
        controller=path,
        format=args.format,
        languages=[x.strip() for x in args.lang.split(",")] if args.lang else None,
        out=Path(args.out),
        draft=args.draft,
        options=config.check_options(as_of=as_of),
    )
    try:
        written = export_controller(request)
    except ExportRefused as error:
        print(str(error), file=sys.stderr)
        return ExitCode.FINDINGS if error.findings else ExitCode.FAILURE
    except OSError as error:
        print(f"privacy-pages export: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    for file in written:
        print(file)
    return ExitCode.OK

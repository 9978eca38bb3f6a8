"""`privacy-pages export`: the command line of `privacy_pages.site.export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privacy_pages.banner import FORMATS as BANNERS
from privacy_pages.config import ConfigError, page_check_options
from privacy_pages.diagnostics import ExitCode
from privacy_pages.site.export import FORMATS, ExportRefused, ExportRequest, export_controller

HELP = (
    "write one controller's pages (HTML fragments, Markdown), its JSON / TCF export, or its "
    "consent banner's configuration"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("controller", metavar="CONTROLLER", help="controller YAML file")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="html fragments, markdown, json (the controller), tcf (IAB TCF device storage "
        "disclosure), or the consent banner's configuration for "
        + ", ".join(f"{name} ({fmt.title})" for name, fmt in BANNERS.items())
        + "; default html",
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
        "--policy-url",
        metavar="URL",
        default=None,
        help="banner formats: the cookie policy's address, {lang} standing for the language "
        "(default: the cookie policy the file says is published elsewhere, else the page "
        "build and generate write: /<url-prefix>/<id>/<lang>/cookies/)",
    )
    parser.add_argument(
        "--url-prefix",
        metavar="PREFIX",
        default="clients",
        help="banner formats: the folder the pages are published under (default: clients)",
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
        options = page_check_options(args.as_of, args.config)
    except ConfigError as error:
        print(f"privacy-pages export: error: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    request = ExportRequest(
        controller=path,
        format=args.format,
        languages=[x.strip() for x in args.lang.split(",")] if args.lang else None,
        out=Path(args.out),
        draft=args.draft,
        options=options,
        policy_url=args.policy_url,
        url_prefix=args.url_prefix,
    )
    try:
        exported = export_controller(request)
    except ExportRefused as error:
        print(str(error), file=sys.stderr)
        return ExitCode.FINDINGS if error.findings else ExitCode.FAILURE
    except OSError as error:
        print(f"privacy-pages export: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    for warning in exported.warnings:
        print(f"privacy-pages export: warning: {warning}", file=sys.stderr)
    for file in exported.files:
        print(file)
    if exported.guide:
        print(exported.guide)
    return ExitCode.OK

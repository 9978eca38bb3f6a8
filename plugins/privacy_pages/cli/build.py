"""`privacy-pages build`: the command line of `privacy_pages.site.build`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from privacy_pages.diagnostics import ExitCode
from privacy_pages.owned import NotOurFolder
from privacy_pages.rules.sources import parse_day
from privacy_pages.site.build import BuildError, ContentBuildError, build_project

HELP = "build the privacy, cookie and legal-notice pages of every controller as a static site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        help="folder of controller files (default: the one mkdocs.yml names, or content/)",
    )
    parser.add_argument(
        "--site-dir",
        metavar="DIR",
        default=None,
        help="where to write the site (default: mkdocs.yml's site_dir, or site/)",
    )
    parser.add_argument(
        "--config-file",
        metavar="FILE",
        default=None,
        help="MkDocs configuration (default: ./mkdocs.yml if present)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning (broken links, unknown anchors...)",
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help="publish controllers that `check` rejects as drafts (a notice naming the gaps on "
        "every page, noindex) instead of stopping; unreadable files are left out",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="check and write the pages for the law in force on this day (default: today)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only warnings and errors")


def _log_to_stderr(quiet: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING if quiet else logging.INFO)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def run(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    if args.as_of is not None:
        try:
            parse_day(args.as_of)
        except ValueError as error:
            print(f"privacy-pages build: error: --as-of: {error}", file=sys.stderr)
            return ExitCode.FAILURE
    handler = _log_to_stderr(args.quiet)
    try:
        target = build_project(
            config_file=Path(args.config_file) if args.config_file else None,
            content=Path(args.content) if args.content else None,
            site_dir=Path(args.site_dir) if args.site_dir else None,
            strict=args.strict,
            draft=args.draft,
            as_of=args.as_of,
        )
    except ContentBuildError:
        return ExitCode.FINDINGS  # MkDocs has logged every error, file by file
    except NotOurFolder as error:
        print(f"privacy-pages build: error: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    except PluginError as error:
        print(str(error), file=sys.stderr)
        return ExitCode.FINDINGS
    except (BuildError, Abort, ConfigurationError, OSError) as error:
        message = str(error).removeprefix("privacy-pages: ")  # the plugin's own prefix
        print(f"privacy-pages build: {message}", file=sys.stderr)
        return ExitCode.FAILURE
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    print(f"privacy-pages build: site written to {target}")
    return ExitCode.OK

"""`privacy-pages init NAME`: the command line of `privacy_pages.model.starter`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privacy_pages.diagnostics import ExitCode
from privacy_pages.model.starter import StarterError, write_starter

HELP = "write a commented starter controller file for a new client (content/NAME.yaml)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the client's id: lowercase, digits, - or _")
    parser.add_argument(
        "--dir", default="content", metavar="DIR", help="folder of controller files (content/)"
    )
    parser.add_argument("--website", metavar="URL", help="the client's site (audited later)")
    parser.add_argument(
        "--languages", default="fr,en", metavar="LIST", help="languages, default first (fr,en)"
    )


def run(args: argparse.Namespace) -> int:
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    try:
        path = write_starter(Path(args.dir), args.name, languages, args.website)
    except StarterError as error:
        print(f"privacy-pages init: error: {error}", file=sys.stderr)
        return ExitCode.FAILURE
    print(f"{path}: written; next: privacy-pages check {path}")
    return ExitCode.OK

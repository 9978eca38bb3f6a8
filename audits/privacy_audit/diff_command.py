"""`privacy-pages audit diff OLD NEW`: what changed between two audits of one site.

OLD and NEW are report folders, ``report.json`` files, or a controller's folder of dated
runs (its latest run). Exit codes: 0 NEW is not worse, 3 NEW has new error findings,
2 a report could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from .diff import DiffInputError, compare, format_text, load_report, snapshot

HELP = "what changed between two audits: cookies, storage, third parties, findings"
EXIT_OK, EXIT_FAILURE, EXIT_WORSE = 0, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the earlier report (folder or report.json)")
    parser.add_argument("new", metavar="NEW", help="the later report (folder or report.json)")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        old, old_label = load_report(args.old)
        new, new_label = load_report(args.new)
    except DiffInputError as error:
        print(f"privacy-pages audit diff: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    result = compare(snapshot(old), snapshot(new), old_label, new_label)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_text(result))
    return EXIT_WORSE if result.worse else EXIT_OK

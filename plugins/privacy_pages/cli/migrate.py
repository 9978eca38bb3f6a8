"""`privacy-pages migrate`: the command line of `privacy_pages.model.migrate`.

The migrated file goes to standard output, or with ``--output DIR`` into a folder as a new
file: an existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privacy_pages.atomic import write_text_atomic
from privacy_pages.diagnostics import ExitCode, Severity
from privacy_pages.model.content import load_controller
from privacy_pages.model.migrate import MigrationError, migrate_text

HELP = "rewrite schema-1 controller files for schema 2 (comments kept; never overwrites)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="controller files (schema 1)")
    parser.add_argument(
        "--output",
        metavar="DIR",
        help="write each migrated file into DIR under its own name (never over an existing file)",
    )


def run(args: argparse.Namespace) -> int:
    failed = False
    outputs: list[tuple[Path, str]] = []
    for name in args.files:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            print(f"{name}: cannot read ({error})", file=sys.stderr)
            failed = True
            continue
        document = load_controller(path, display_path=name)
        errors = [d for d in document.diagnostics if d.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            print(
                f"{name}:{first.line}:{first.column}: {first.message}; "
                "fix the errors `privacy-pages check` reports first",
                file=sys.stderr,
            )
            failed = True
            continue
        try:
            outputs.append((path, migrate_text(text, document)))
        except MigrationError as error:
            print(
                f"{name}: not migrated: {error}; edit it by hand (see SCHEMA003)", file=sys.stderr
            )
            failed = True
    if args.output:
        folder = Path(args.output)
        for path, text in outputs:
            target = folder / path.name
            if target.exists():
                print(f"{target}: exists; not overwritten", file=sys.stderr)
                failed = True
                continue
            write_text_atomic(target, text)
            print(f"{path} -> {target}")
    else:
        for _, text in outputs:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return ExitCode.FAILURE if failed else ExitCode.OK

"""`privacy-pages migrate`: the command line of `privacy_pages.model.migrate`.

The migrated file goes to standard output, or with ``--output DIR`` into a folder as a new
file, atomically: a name that exists (a file, a dangling symlink, a pipe) is never written.
Only regular files are read: a named pipe is refused, not waited for.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from privacy_pages.atomic import write_new_file
from privacy_pages.diagnostics import ExitCode, Severity, printable
from privacy_pages.inputs import InputError, read_regular
from privacy_pages.model.migrate import MigrationError, migrate_text
from privacy_pages.model.schema import validate
from privacy_pages.model.yaml_source import load_text

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
            text = read_regular(path).decode("utf-8")
        except InputError as error:
            print(error, file=sys.stderr)
            failed = True
            continue
        except UnicodeDecodeError as error:
            print(f"{printable(name)}: cannot read ({error.reason})", file=sys.stderr)
            failed = True
            continue
        document = load_text(text.removeprefix("\ufeff"), name)
        if document.data is not None:
            document.diagnostics.extend(validate(document))
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
            try:
                folder.mkdir(parents=True, exist_ok=True)
                write_new_file(target, text.encode("utf-8"))
            except FileExistsError:
                print(f"{printable(str(target))}: exists; not overwritten", file=sys.stderr)
                failed = True
                continue
            except OSError as error:
                print(f"{printable(str(target))}: not written ({error.strerror})", file=sys.stderr)
                failed = True
                continue
            print(f"{path} -> {target}")
    else:
        for _, text in outputs:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return ExitCode.FAILURE if failed else ExitCode.OK

"""`privacy-pages migrate`: rewrite a schema-1 controller file for content model 2.

The edit is made on the text, line by line, so comments and layout stay as the author wrote
them (a comment on the ``schema_version`` line too); the result is parsed again and must
hold exactly the migrated data, else nothing is written. A migration never invents a fact:
``natural_person`` alone does not say whether the person publishes as a professional, so
``non_professional`` is left for the author to state (`check` asks, SCHEMA003). The
migrated file goes to standard output, or with ``--output DIR`` into a folder as a new
file, atomically: a name that exists (a file, a dangling symlink, a pipe) is never written.
Only regular files are read: a named pipe is refused, not waited for.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path
from typing import Any

from privacy_pages.atomic import write_new_file
from privacy_pages.diagnostics import Severity, printable
from privacy_pages.inputs import InputError, read_regular
from privacy_pages.model.schema import validate
from privacy_pages.model.yaml_source import LoadedDocument, load_text

HELP = "rewrite schema-1 controller files for schema 2 (comments kept; never overwrites)"
CURRENT = 2
_VERSION_LINE = re.compile(r"^(schema_version:\s*)1(\s*(?:#.*)?)$", re.MULTILINE)


class MigrationError(Exception):
    """The file cannot be migrated automatically; the message says what to do."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="controller files (schema 1)")
    parser.add_argument(
        "--output",
        metavar="DIR",
        help="write each migrated file into DIR under its own name (never over an existing file)",
    )


def migrated_data(data: dict[str, Any]) -> dict[str, Any]:
    """What a schema-1 file states, written for schema 2: the same facts, none added."""
    result = copy.deepcopy(data)
    result["schema_version"] = CURRENT
    controller = result.get("controller")
    if isinstance(controller, dict) and "regulated_activity" in controller:
        controller["regulated_activities"] = [controller.pop("regulated_activity")]
    return result


def migrate_text(text: str, document: LoadedDocument) -> str:
    """The file's text for schema 2; raises `MigrationError` when it cannot be done safely."""
    data = document.data if isinstance(document.data, dict) else {}
    if data.get("schema_version", 1) != 1:
        raise MigrationError(f"schema_version is {data.get('schema_version')!r}, not 1")
    lines = text.split("\n")
    raw_controller = data.get("controller")
    controller: dict[str, Any] = raw_controller if isinstance(raw_controller, dict) else {}
    positions = document.positions
    if "regulated_activity" in controller:
        _wrap_in_list(lines, positions.of_key("/controller/regulated_activity")[0] - 1)
    text = "\n".join(lines)
    if "schema_version" in data:
        text, count = _VERSION_LINE.subn(rf"\g<1>{CURRENT}\g<2>", text, count=1)
        if count != 1:
            raise MigrationError("schema_version: 1 is not on a line of its own")
    else:
        text = _insert_version(text)
    check = load_text(text, document.path)
    if check.diagnostics or check.data != migrated_data(data):
        raise MigrationError("the automatic edit would change the file's meaning")
    return text


def _wrap_in_list(lines: list[str], index: int) -> None:
    """``regulated_activity: {...}`` or a block below it -> ``regulated_activities: [ ... ]``."""
    line = lines[index]
    key_at = line.index("regulated_activity:")
    indent = key_at
    rest = line[key_at + len("regulated_activity:") :].strip()
    if rest.startswith("{"):
        lines[index] = line[:key_at] + f"regulated_activities: [{rest}]"
        return
    if rest:
        raise MigrationError("controller.regulated_activity is neither a block nor {...}")
    lines[index] = line[:key_at] + "regulated_activities:"
    child = index + 1
    first = True
    while child < len(lines):
        text = lines[child]
        stripped = text.lstrip()
        depth = len(text) - len(stripped)
        if stripped and depth <= indent:
            break
        if stripped and not stripped.startswith("#"):
            lines[child] = (" " * depth + "- " + stripped) if first else "  " + text
            first = False
        child += 1


def _insert_version(text: str) -> str:
    """``schema_version: 2`` after the leading comment lines."""
    lines = text.split("\n")
    at = 0
    while at < len(lines) and lines[at].startswith("#"):
        at += 1
    lines.insert(at, f"schema_version: {CURRENT}")
    return "\n".join(lines)


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
    return 2 if failed else 0

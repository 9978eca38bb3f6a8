"""`privacy-pages migrate`: rewrite a schema-1 controller file for content model 2.

The edit is made on the text, line by line, so comments and layout stay as the author wrote
them; the result is parsed again and must hold exactly the migrated data, else nothing is
written. The migrated file goes to standard output, or with ``--output DIR`` into a folder
as a new file: an existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path
from typing import Any

from privacy_pages.atomic import write_text_atomic
from privacy_pages.diagnostics import Severity
from privacy_pages.model.content import load_controller
from privacy_pages.model.schema import fill_defaults
from privacy_pages.model.yaml_source import LoadedDocument, load_text

HELP = "rewrite schema-1 controller files for schema 2 (comments kept; never overwrites)"
CURRENT = 2
_VERSION_LINE = re.compile(r"^schema_version:\s*1\s*(#.*)?$", re.MULTILINE)


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
    """What a schema-1 file means, written for schema 2."""
    result = copy.deepcopy(data)
    result["schema_version"] = CURRENT
    controller = result.get("controller")
    if isinstance(controller, dict):
        if "regulated_activity" in controller:
            controller["regulated_activities"] = [controller.pop("regulated_activity")]
        if controller.get("natural_person") and "non_professional" not in controller:
            controller["non_professional"] = True  # what natural_person meant in schema 1
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
    # Edits from the bottom up, so that earlier line numbers stay valid.
    edits: list[tuple[int, str]] = []
    if "regulated_activity" in controller:
        edits.append((positions.of_key("/controller/regulated_activity")[0], "regulated"))
    if controller.get("natural_person") and "non_professional" not in controller:
        edits.append((positions.of_key("/controller/natural_person")[0], "natural_person"))
    for line_number, kind in sorted(edits, reverse=True):
        index = line_number - 1
        if kind == "regulated":
            _wrap_in_list(lines, index)
        else:
            indent = len(lines[index]) - len(lines[index].lstrip())
            if not lines[index].lstrip().startswith("natural_person:"):
                raise MigrationError("controller.natural_person is not on a line of its own")
            lines.insert(index + 1, " " * indent + "non_professional: true")
    text = "\n".join(lines)
    if "schema_version" in data:
        text, count = _VERSION_LINE.subn(f"schema_version: {CURRENT}", text, count=1)
        if count != 1:
            raise MigrationError("schema_version: 1 is not on a line of its own")
    else:
        text = _insert_version(text)
    check = load_text(text, document.path)
    if isinstance(check.data, dict):
        fill_defaults(check.data)  # the original was read with the schema's defaults too
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
    return 2 if failed else 0

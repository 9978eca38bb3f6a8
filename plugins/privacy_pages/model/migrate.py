"""A schema-1 controller file rewritten for content model 2 (`privacy-pages migrate`).

The edit is made on the text, line by line, so comments and layout stay as the author wrote
them (a comment on the ``schema_version`` line too); the result is parsed again and must
hold exactly the migrated data, else the migration is refused (`MigrationError`). A
migration never invents a fact: ``natural_person`` alone does not say whether the person
publishes as a professional, so ``non_professional`` is left for the author to state
(`check` asks, SCHEMA003).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from privacy_pages.model.yaml_source import LoadedDocument, load_text

CURRENT = 2
_VERSION_LINE = re.compile(r"^(schema_version:\s*)1(\s*(?:#.*)?)$", re.MULTILINE)


class MigrationError(Exception):
    """The file cannot be migrated automatically; the message says what to do."""


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
    if "regulated_activity" in controller:
        _wrap_in_list(lines, document.positions.of_key("/controller/regulated_activity")[0] - 1)
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

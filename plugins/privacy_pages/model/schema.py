"""The controller JSON Schema: loaded once from the package, turned into diagnostics with lines."""

from __future__ import annotations

import copy
import difflib
import functools
import itertools
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
from jsonschema.exceptions import ValidationError

from privacy_pages import shipped
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.model.yaml_source import LoadedDocument, escape_pointer_token

CONTROLLER_SCHEMA = "controller.schema.json"
CURRENT_SCHEMA = 2
"""The `schema_version` new files are written in (`init`, `migrate`)."""


def schema_path(name: str = CONTROLLER_SCHEMA) -> Path:
    """Where a shipped schema lives: inside the wheel, or `schemas/` in a source checkout."""
    return shipped("schemas", name)


@functools.cache
def load_schema(name: str = CONTROLLER_SCHEMA) -> dict[str, Any]:
    with open(schema_path(name), encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _validator(name: str = CONTROLLER_SCHEMA) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@functools.cache
def _fast_check(name: str = CONTROLLER_SCHEMA, definition: str | None = None) -> Any:
    """A compiled yes/no validator (fastjsonschema, ~30x faster than jsonschema) of the
    shipped schema ``name``, or of its ``$defs`` entry ``definition``.

    It knows drafts up to 7; the keywords our schemas use mean the same there, so the
    2020-12 ``$schema`` is swapped for draft-07 in its copy only. Valid documents, the
    common case, skip jsonschema; invalid ones go through it for located diagnostics.
    """
    schema = {**load_schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    if definition is not None:
        schema = {key: schema[key] for key in ("$schema", "$id", "$defs") if key in schema}
        schema["$ref"] = f"#/$defs/{definition}"
    return _compiled_validator(schema)


# Compiling the fast validator costs ~0.15 s CPU and ~40 MiB per process, jsonschema alone
# ~3 ms a controller (~15 ms an audit report): the first documents of each schema in a
# process go through jsonschema only.
FAST_PATH_AFTER = 32
_documents_seen = itertools.count()
_inputs_seen: dict[tuple[str, str | None], Iterator[int]] = {}

_ANNOTATIONS = frozenset({"title", "description", "examples", "markdownDescription", "$comment"})
_SCHEMA_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties"})
# fastjsonschema builds each array item's name with "...[{i}]".format(**locals()) (a dict of
# every local of a big function, per item) and puts the failing schema in every exception:
# the yes/no check needs neither.
_FORMAT_LOCALS = re.compile(r'"((?:[^"\\\n]|\\.)*)"\.format\(\*\*locals\(\)\)')
_DEFINITION = re.compile(r", definition=\{.*?\}, rule=")


def _validation_only(schema: Any) -> Any:
    """``schema`` without its annotations (titles, descriptions, examples), which do not
    change what is valid; property names that happen to be "title" are kept."""
    if isinstance(schema, dict):
        return {
            key: (
                {name: _validation_only(sub) for name, sub in value.items()}
                if key in _SCHEMA_MAPS and isinstance(value, dict)
                else _validation_only(value)
            )
            for key, value in schema.items()
            if key not in _ANNOTATIONS
        }
    if isinstance(schema, list):
        return [_validation_only(item) for item in schema]
    return schema


def _compiled_validator(schema: dict[str, Any]) -> Any:
    """Generated and compiled in memory on first use, never cached on disk.

    A bytecode cache in the user's home would save that once per process, but it would
    run code read from outside the package, and a corrupt or planted file would break it.
    Only the yes/no answer is used, so the generated code is trimmed of what only error
    messages need: compiling it takes ~7 MiB instead of ~70 (issue 18, check's own cost).
    """
    source = fastjsonschema.compile_to_code(_validation_only(schema), use_default=False)
    source = _FORMAT_LOCALS.sub(r'f"\1"', source)  # the same string, without locals()
    source = _DEFINITION.sub(", definition=None, rule=", source)
    namespace: dict[str, Any] = {}
    exec(compile(source, "<privacy-pages controller validator>", "exec"), namespace)  # noqa: S102
    return namespace[_entry_function(schema)]


def _entry_function(schema: dict[str, Any]) -> str:
    """The name fastjsonschema gives the validator of the root schema."""
    return "validate_" + re.sub(r"[^a-zA-Z0-9_]", "_", schema.get("$id", ""))


def is_valid(data: Any, name: str = CONTROLLER_SCHEMA, definition: str | None = None) -> bool:
    try:
        _fast_check(name, definition)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@functools.cache
def _definition_validator(name: str, definition: str) -> jsonschema.protocols.Validator:
    """A validator of one ``$defs`` entry of a shipped schema (``sites.json`` in the run's)."""
    root = load_schema(name)
    schema = {"$schema": root["$schema"], "$defs": root["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.validators.validator_for(schema)(schema)


def first_error(data: Any, name: str, definition: str | None = None) -> str | None:
    """None when ``data`` follows the shipped schema ``name`` (or its ``$defs`` entry
    ``definition``); else its most telling violation as one short line: ``/pointer: message``.

    As in `validate`, the documents of a schema after the first `FAST_PATH_AFTER` of a
    process (a portfolio's run records, a fuzz's reports) are first asked of the compiled
    validator: only those it refuses go through jsonschema, which says why."""
    seen = _inputs_seen.setdefault((name, definition), itertools.count())
    if next(seen) >= FAST_PATH_AFTER and is_valid(data, name, definition):
        return None
    validator = _definition_validator(name, definition) if definition else _validator(name)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return None
    error = _flatten(error)
    message = " ".join(error.message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    return f"{_pointer(error.absolute_path) or '/'}: {message}"


def _pointer(path: Any) -> str:
    return "".join(f"/{escape_pointer_token(p)}" for p in path)


def _known_keys(error: ValidationError) -> list[str]:
    return sorted(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []


def _flatten(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, report the branch that went deepest: its message is the useful one."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.message)))
        if len(best.absolute_path) > len(error.absolute_path):
            return _flatten(best)
    return error


def _unknown_keys(error: ValidationError, document: LoadedDocument) -> list[Diagnostic]:
    """One diagnostic per key the mapping may not hold, each at its own line."""
    known = _known_keys(error)
    extras = (
        [k for k in error.instance if k not in known] if isinstance(error.instance, dict) else []
    )
    found = []
    for key in extras or ["?"]:
        pointer = f"{_pointer(error.absolute_path)}/{escape_pointer_token(key)}"
        line, column = document.positions.of_key(pointer)
        close = difflib.get_close_matches(key, known, n=1)
        found.append(
            Diagnostic(
                rule="SCHEMA002",
                severity=Severity.ERROR,
                path=document.path,
                line=line,
                column=column,
                message=f"unknown key {key!r}" + (f"; did you mean '{close[0]}'?" if close else ""),
                pointer=pointer,
                hint="allowed keys here: " + ", ".join(known) if known else "",
            )
        )
    return found


def _is_non_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _alternative_keys(error: ValidationError) -> list[str]:
    """The keys of an anyOf whose branches each require one key (a tracker's name or
    provider), when none is present."""
    if error.validator != "anyOf" or not error.context:
        return []
    if not all(e.validator == "required" for e in error.context):
        return []
    return [str(e.validator_value[0]) for e in error.context if e.validator_value]


def _describe(error: ValidationError, document: LoadedDocument) -> list[Diagnostic]:
    error = _flatten(error)
    if error.validator == "additionalProperties":
        return _unknown_keys(error, document)
    pointer = _pointer(error.absolute_path)
    rule, hint = "SCHEMA001", ""
    line, column = document.positions.of_value(pointer)
    message = error.message
    keys = _alternative_keys(error)
    if keys:
        message = "needs one of the keys " + ", ".join(f"'{k}'" for k in keys)
        hint = f"add '{keys[0]}:' (or another of them) to this mapping"
    elif _is_non_finite(error.instance):
        message = f"{error.instance} is not a number a page can show"
        hint = "write the number in figures, e.g. 1000 (.nan and .inf are YAML for not-a-number)"
    elif error.validator == "type" and error.instance is None:
        key = error.absolute_path[-1] if error.absolute_path else ""
        message = f"{str(key)!r} has no value" if key != "" else "no value here"
        hint = (
            "write a value after the colon; inside {fr: ..., en: ...} a comma ends the text, "
            'so quote text that holds a comma: {fr: "a, b", en: "c, d"}'
        )
    elif error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        message = f"missing required key '{missing}'"
        hint = f"add '{missing}:' to this mapping"
    elif error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        message = (
            f"expected {expected}, found {type(error.instance).__name__}: {error.instance!r:.60}"
        )
        if expected == "string":
            hint = "quote the value"
    elif error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        message = f"{error.instance!r:.60} is not allowed here"
        close = difflib.get_close_matches(str(error.instance), map(str, error.validator_value), n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + f"allowed: {allowed}"
    elif error.validator == "pattern":
        schema = error.schema if isinstance(error.schema, dict) else {}
        message = f"{error.instance!r:.60} has the wrong format"
        if schema.get("format") == "uri":
            message = f"{error.instance!r:.60} is not a web address"
            hint = "write a full address such as https://www.example.com/ (http or https, a host)"
        else:
            hint = schema.get("description", "") or f"expected pattern {error.validator_value}"
    elif error.validator == "format":
        message = f"{error.instance!r:.60} is not a valid {error.validator_value}"
        hint = "dates are written YYYY-MM-DD" if error.validator_value == "date" else ""
    elif error.validator == "const":
        message = f"{error.instance!r:.60} is not supported; expected {error.validator_value!r}"
    return [
        Diagnostic(
            rule=rule,
            severity=Severity.ERROR,
            path=document.path,
            line=line,
            column=column,
            message=message,
            pointer=pointer,
            hint=hint,
        )
    ]


def fill_defaults(data: Any, name: str = CONTROLLER_SCHEMA) -> None:
    """Give each missing property the schema's ``default`` (``match: exact``...), in place.

    The pages and controller.json rely on them. Done here, for every document alike, rather
    than as a side effect of one validator (fastjsonschema's ``use_default``).
    """
    root = load_schema(name)
    _fill(data, root, root)


def _fill(data: Any, schema: dict[str, Any], root: dict[str, Any]) -> None:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(data, dict):
        for key, sub in schema.get("properties", {}).items():
            if key not in data and "default" in sub:
                data[key] = copy.deepcopy(sub["default"])
            if key in data and isinstance(data[key], (dict, list)):
                _fill(data[key], sub, root)
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for item in data:
            _fill(item, schema["items"], root)


def validate(document: LoadedDocument, name: str = CONTROLLER_SCHEMA) -> Iterator[Diagnostic]:
    """Every schema violation of ``document`` as a diagnostic at the line of the value."""
    fill_defaults(document.data, name)
    if next(_documents_seen) >= FAST_PATH_AFTER and is_valid(document.data, name):
        return
    for error in _validator(name).iter_errors(document.data):
        yield from _describe(error, document)

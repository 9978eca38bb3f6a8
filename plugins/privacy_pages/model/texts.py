"""Find every prose field of a controller file, by walking it beside the schema."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

from ..schema import load_schema

TEXT_REF = "#/$defs/text"


@functools.lru_cache(maxsize=1)
def _root_schema() -> dict[str, Any]:
    return load_schema()


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    root = _root_schema()
    while "$ref" in schema and schema["$ref"] != TEXT_REF:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = {**root["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def walk_texts(
    value: Any, pointer: str = "", schema: dict[str, Any] | None = None
) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every field the schema types as prose."""
    schema = _deref(schema if schema is not None else _root_schema())
    if schema.get("$ref") == TEXT_REF:
        yield pointer, value
        return
    if isinstance(value, Mapping):
        properties = schema.get("properties", {})
        for key, child in value.items():
            if key in properties:
                yield from walk_texts(child, f"{pointer}/{key}", properties[key])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, child in enumerate(value):
            yield from walk_texts(child, f"{pointer}/{index}", schema["items"])

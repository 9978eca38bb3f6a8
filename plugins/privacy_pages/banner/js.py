"""JavaScript literals for the generated consent-manager configurations.

The configurations are JavaScript, not JSON: vanilla-cookieconsent and Orejime match cookie
names by ``RegExp`` objects, and tarteaucitron services are objects with functions. Every
string from a controller file goes through `string`, which is safe in a ``.js`` file and
inside an inline ``<script>`` (``<``, ``>``, ``&`` and the two JavaScript line separators
are escaped), so no text of a file can end the script or run code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class RegExp:
    """A ``new RegExp(source)``."""

    source: str


@dataclass(frozen=True)
class Code:
    """JavaScript written by us (a function), inserted as is: never built from file text."""

    text: str


def string(text: str) -> str:
    """A JavaScript string literal of ``text``."""
    literal = json.dumps(text, ensure_ascii=False)
    for char, escaped in _UNSAFE.items():
        literal = literal.replace(char, escaped)
    return literal


def literal(value: Any, level: int = 0) -> str:
    """``value`` (dicts, lists, strings, numbers, booleans, None, RegExp, Code) as JavaScript,
    indented by two spaces per level."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, RegExp):
        return f"new RegExp({string(value.source)})"
    if isinstance(value, Code):
        return value.text
    if isinstance(value, str):
        return string(value)
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{inner}{string(str(k))}: {literal(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, Sequence):
        if not value:
            return "[]"
        items = [f"{inner}{literal(v, level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    raise TypeError(f"no JavaScript literal for {type(value).__name__}")


def inline(values: Sequence[str]) -> str:
    """A list of strings on one line (inside our own function bodies)."""
    return "[" + ", ".join(string(v) for v in values) + "]"

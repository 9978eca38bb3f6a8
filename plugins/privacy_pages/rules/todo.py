"""Placeholders left for a person: `suggest` and `init` write ``TODO``; check lists each one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from privacy_pages.diagnostics import Severity
from privacy_pages.model import Controller
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Problem

_TODO = re.compile(r"^\s*TODO\b")


def _strings(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield pointer, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(
                value, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            )
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{pointer}/{index}")


@REGISTRY.rule("CS010", "todo-left", Severity.ERROR, "CS")
def todo_left(view: Controller) -> Iterator[Problem]:
    """
    What it checks: no value of the file starts with `TODO`, the placeholder that
    `privacy-pages suggest` and `privacy-pages init` write where a person must decide.
    Why it matters: the pages state only what the file states (GDPR Art. 12(1): concise,
    intelligible, accurate information); a placeholder would be published as is.
    Fails: `provider: TODO` or `purpose: "TODO: choose its category"` on a tracker.
    Use instead: the true value (ask the client or the vendor), or remove the key.
    """
    text = view.document.text if view.document is not None else None
    if text is not None and "TODO" not in text and "\\" not in text:
        return  # no placeholder can be read from this text (a YAML escape could spell one)
    for pointer, value in _strings(view.data, ""):
        if _TODO.match(value):
            yield Problem(
                pointer,
                f"placeholder left for a person: {value!r}",
                "replace it with the true value, or remove the key",
            )

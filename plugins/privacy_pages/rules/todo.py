"""Placeholders left for a person: `suggest` and `init` write ``TODO``; check lists each one."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from privacy_pages.diagnostics import Severity
from privacy_pages.model import Controller
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Problem, RuleOption

DEFAULT_MARKERS = ("TODO",)


def _markers(value: object) -> tuple[str, ...]:
    """The ``markers`` option: a list of non-empty words (or one word)."""
    words = [value] if isinstance(value, str) else value
    if (
        not isinstance(words, list)
        or not words
        or not all(isinstance(w, str) and w.strip() for w in words)
    ):
        raise ValueError("give a list of words, e.g. [TODO, FIXME]")
    return tuple(w.strip() for w in words)


def _pattern(markers: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"^\s*(?:" + "|".join(re.escape(m) for m in markers) + r")(?!\w)")


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


@REGISTRY.rule(
    "CS010",
    "todo-left",
    Severity.ERROR,
    "CS",
    options=(
        RuleOption(
            "markers",
            DEFAULT_MARKERS,
            "words that mark a value as left for a person (`TODO` is what `suggest` and "
            "`init` write; add your own, such as `FIXME`)",
            _markers,
        ),
    ),
)
def todo_left(view: Controller, options: Mapping[str, Any]) -> Iterator[Problem]:
    """
    What it checks: no value of the file starts with `TODO` (or another word of the rule's
    `markers` option), the placeholder that `privacy-pages suggest` and `privacy-pages
    init` write where a person must decide.
    Why it matters: the pages state only what the file states (GDPR Art. 12(1): concise,
    intelligible, accurate information); a placeholder would be published as is.
    Fails: `provider: TODO` or `purpose: "TODO: choose its category"` on a tracker.
    Use instead: the true value (ask the client or the vendor), or remove the key.
    """
    marker = _pattern(tuple(options["markers"]))
    for pointer, value in _strings(view.data, ""):
        if marker.match(value):
            yield Problem(
                pointer,
                f"placeholder left for a person: {value!r}",
                "replace it with the true value, or remove the key",
            )

"""The fixed sentences of the pages that state the law, and the legal sources each rests on.

Read once from ``cited.yaml``. `PageText` refuses to write a sentence whose sources are not
all in force on the page's date, so a template shows the Bloctel heading only while the
Bloctel regime is the law (it asks ``T.in_force("privacy.bloctel")`` first).
"""

from __future__ import annotations

import functools
from importlib import resources

from privacy_pages.data_yaml import load_yaml
from privacy_pages.rules.sources import SOURCES, Citation


class OutdatedSentence(LookupError):
    """A template wrote a sentence whose law is not in force on the page's date (a bug)."""


@functools.cache
def _load() -> dict[str, tuple[Citation, ...]]:
    text = resources.files(__package__).joinpath("cited.yaml").read_text(encoding="utf-8")
    tree = load_yaml(text) or {}
    return {str(key): SOURCES.cite_all(specs) for key, specs in tree.items()}


CITED = _load()
"""Catalogue key -> the sources the sentence states."""


def citations(key: str) -> tuple[Citation, ...]:
    """The sources a fixed sentence rests on; empty for vocabulary and plain facts."""
    return CITED.get(key, ())

"""The audit report's text in each language: one catalogue per language, `locales/<lang>.yaml`,
loaded by `privacy_pages.i18n.Catalogues` (the pages' loader: English fallback, plural forms).

Every sentence the report writes (fixed text, finding messages and hints, rule advice) is
a key of the catalogues; text read from the site or the controller file is a placeholder
value, shown as is (the report escapes it). `inspect` builds each finding's message as a
`Text` (a key and its values) so that the report can say it again in another language;
the English rendering is the finding's message everywhere else (JSON, JUnit, terminal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from privacy_pages.i18n import FALLBACK_LANGUAGE, Catalogues, MissingText

FALLBACK = FALLBACK_LANGUAGE
LANGUAGES = ("en", "fr")
RULE_DOC_FIELDS = {"summary": None, "why": "Why it matters", "fix": "Use instead"}
"""Rule documentation a report shows: field of `rule_doc` to the registry's section."""

CATALOGUES = Catalogues("privacy_audit")
"""The report's catalogues (``locales/<lang>.yaml``), read by the project's one loader."""
catalogue = CATALOGUES.catalogue
section = CATALOGUES.section
translate = CATALOGUES.translate
has_text = CATALOGUES.has

__all__ = [
    "CATALOGUES",
    "FALLBACK",
    "LANGUAGES",
    "RULE_DOC_FIELDS",
    "MissingText",
    "Text",
    "catalogue",
    "has_text",
    "say",
    "sayable",
    "section",
    "text",
    "text_from_data",
    "translate",
]


@dataclass(frozen=True)
class Text:
    """A sentence of ours, kept as its key and values so that it can be said in any language.

    A value is shown as is, unless it is a `Text` itself (said in the same language) or a
    list (its items joined with commas).
    """

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str = FALLBACK) -> str:
        return translate(self.key, lang, **{k: _say(v, lang) for k, v in self.values})

    def __str__(self) -> str:
        return self.render(FALLBACK)

    def to_data(self) -> dict[str, Any]:
        """The sentence as JSON data, ``{key, values}``; a value that is a sentence nests."""
        return {
            "key": self.key,
            "values": {k: v.to_data() if isinstance(v, Text) else v for k, v in self.values},
        }


def text_from_data(data: Any) -> Text | None:
    """The sentence `Text.to_data` wrote; None for anything else (a file edited by hand)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("key"), str):
        return None
    values = data.get("values") or {}
    if not isinstance(values, Mapping):
        return None
    pairs: list[tuple[str, Any]] = []
    for name, value in values.items():
        if isinstance(value, Mapping):
            value = text_from_data(value)
            if value is None:
                return None
        pairs.append((str(name), value))
    return Text(data["key"], tuple(pairs))


def sayable(sentence: Text) -> bool:
    """Whether every catalogue can say ``sentence`` (its keys known, its placeholders filled):
    a sentence read from a file may come from another version of the tool."""
    try:
        for lang in LANGUAGES:
            sentence.render(lang)
    except (KeyError, IndexError, ValueError):  # MissingText is a KeyError
        return False
    return True


def text(key: str, **values: Any) -> Text:
    """``text("message.unseen_cookie", pattern="'_ga'")``: a `Text` to render later."""
    return Text(key, tuple(values.items()))


def _say(value: Any, lang: str) -> Any:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_say(item, lang)) for item in value)
    return value


def say(value: Text | str | None, lang: str) -> str:
    """A `Text` in ``lang``; a plain string (read from a site or a file) as it is."""
    if value is None:
        return ""
    return value.render(lang) if isinstance(value, Text) else value

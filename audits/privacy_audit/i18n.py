"""The audit report's text in each language: one catalogue per language, `locales/<lang>.yaml`.

Every sentence the report writes (fixed text, finding messages and hints, rule advice) is
a key of the catalogues; text read from the site or the controller file is a placeholder
value, shown as is (the report escapes it). `inspect` builds each finding's message as a
`Text` (a key and its values) so that the report can say it again in another language;
the English rendering is the finding's message everywhere else (JSON, JUnit, terminal).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from babel import Locale

FALLBACK = "en"
LANGUAGES = ("en", "fr")
RULE_DOC_FIELDS = {"summary": None, "why": "Why it matters", "fix": "Use instead"}
"""Rule documentation a report shows: field of `rule_doc` to the registry's section."""


class MissingText(KeyError):
    """A key no catalogue holds, not even English: a bug in the code or a template."""


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat key to text map of ``lang`` (empty for a language without a catalogue)."""
    resource = resources.files(__package__).joinpath("locales", f"{lang}.yaml")
    if not resource.is_file():
        return {}
    return _flatten(yaml.safe_load(resource.read_text(encoding="utf-8")) or {})


def section(name: str, lang: str) -> dict[str, str]:
    """Every text of one top-level section (``top``...), English for a key ``lang`` lacks."""
    prefix = f"{name}."
    merged = {**catalogue(FALLBACK), **catalogue(lang)}
    return {k[len(prefix) :]: v for k, v in merged.items() if k.startswith(prefix)}


def translate(key: str, lang: str, **values: Any) -> str:
    """The text of ``key`` in ``lang`` (else English), its placeholders filled in.

    A plural key (``key.one``, ``key.other``) is chosen by ``n`` in the language's rule.
    """
    text = _lookup(key, lang)
    if text is None and "n" in values:
        form = _locale(lang if catalogue(lang) else FALLBACK).plural_form(values["n"])
        text = _lookup(f"{key}.{form}", lang) or _lookup(f"{key}.other", lang)
    if text is None:
        raise MissingText(key)
    return text.format(**values) if values else text


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _lookup(key: str, lang: str) -> str | None:
    found = catalogue(lang).get(key)
    return found if found is not None else catalogue(FALLBACK).get(key)


def has_text(key: str, lang: str) -> bool:
    """Whether ``lang``'s own catalogue holds ``key`` (no fallback)."""
    return key in catalogue(lang)


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

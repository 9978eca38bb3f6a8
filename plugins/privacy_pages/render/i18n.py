"""Interface strings of the rendered pages: one YAML file per language, English fallback.

The catalogues hold only fixed vocabulary and sentences; text about a controller always
comes from its YAML file. A key missing in a language falls back to English, so a partial
catalogue (de, es, it, nl hold the fixed vocabulary) still renders whole pages.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

FALLBACK_LANGUAGE = "en"
CATALOGUE_LANGUAGES = ("en", "fr", "de", "es", "it", "nl")


class MissingString(KeyError):
    """A key exists in no catalogue, not even English: a bug in a template."""


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat key -> string map of ``lang`` (empty for a language without a file)."""
    base = lang.split("-")[0]
    resource = resources.files(__package__).joinpath("locales", f"{base}.yaml")
    if not resource.is_file():
        return {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _flatten(yaml.load(resource.read_text(encoding="utf-8"), Loader=loader) or {})


def has_string(key: str, lang: str) -> bool:
    """Whether ``lang``'s own catalogue translates ``key`` (no fallback)."""
    return key in catalogue(lang)


def translate(key: str, lang: str, **values: Any) -> str:
    """The interface string ``key`` in ``lang`` (or English), placeholders filled in."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue(FALLBACK_LANGUAGE).get(key)
    if text is None:
        raise MissingString(key)
    return text.format(**values) if values else text


def string_lang(key: str, lang: str) -> str:
    """The language ``translate(key, lang)`` is really written in."""
    return lang if has_string(key, lang) else FALLBACK_LANGUAGE

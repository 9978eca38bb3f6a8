"""Prose fields: a plain string in the default language, or a map language -> text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ResolvedText:
    """Text to show in one language, and the language it is really written in."""

    text: str
    lang: str
    is_fallback: bool


def resolve_text(value: Any, lang: str, default_lang: str) -> ResolvedText | None:
    """The text of ``value`` in ``lang``, falling back to ``default_lang``, then any language."""
    if value is None:
        return None
    if isinstance(value, str):
        return ResolvedText(value, default_lang, lang != default_lang)
    if isinstance(value, dict) and value:
        if lang in value:
            return ResolvedText(value[lang], lang, False)
        if default_lang in value:
            return ResolvedText(value[default_lang], default_lang, True)
        first = next(iter(value))
        return ResolvedText(value[first], first, True)
    return ResolvedText(str(value), default_lang, lang != default_lang)


def missing_languages(value: Any, languages: list[str]) -> list[str]:
    """Languages of ``languages`` in which ``value`` has no text of its own."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [lang for lang in languages if lang not in value]
    return list(languages[1:])

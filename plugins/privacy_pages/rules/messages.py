"""What `check` says, in each language its catalogue holds (rules/locales/<lang>.yaml).

The rules write their messages and hints in English. To say one in another language, it is
matched with its rule's English templates (`PN004.no_basis: "activity '{id}' states no legal
basis"`), and the values read from it fill that language's template of the same key. A
value marked `{name|vocabulary}` is a list of words of a closed vocabulary (rights, fields),
said in the target language; any other value (an id, a name, a number) is shown as it is.
A message no template matches is said in English: tests/check/test_messages.py holds every
message the test data produce to a template in every catalogue.
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass
from importlib import resources
from typing import Any

from privacy_pages.data_yaml import load_yaml
from privacy_pages.diagnostics import Diagnostic

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class _Template:
    key: str
    pattern: re.Pattern[str]
    fields: tuple[tuple[str, str], ...]  # (name, vocabulary) of each group, in order
    literal: int  # characters outside placeholders: more means more specific


@functools.cache
def catalogue(lang: str) -> dict[str, Any]:
    """The catalogue of ``lang`` (``messages``, ``hints``, ``joins``, ``vocabulary``)."""
    resource = resources.files(__package__).joinpath("locales", f"{lang}.yaml")
    if not resource.is_file():
        return {}
    return load_yaml(resource.read_text(encoding="utf-8")) or {}


def _parse(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder or None) pieces of a template; doubled braces are text."""
    return [(literal, field) for literal, field, _, _ in string.Formatter().parse(template)]


def _compile(key: str, template: str) -> _Template:
    regex, fields, literal = "", [], 0
    for text, field in _parse(template):
        regex += re.escape(text)
        literal += len(text)
        if field is not None:
            name, _, vocabulary = field.partition("|")
            regex += f"(?P<f{len(fields)}>.+?)"
            fields.append((name, vocabulary))
    return _Template(key, re.compile(regex, re.DOTALL), tuple(fields), literal)


@functools.cache
def _templates(section: str, rule: str) -> tuple[_Template, ...]:
    """The English templates of one rule, the most specific first."""
    entries = catalogue(SOURCE_LANGUAGE).get(section) or {}
    found = [_compile(k, v) for k, v in entries.items() if k.split(".", 1)[0] == rule]
    return tuple(sorted(found, key=lambda t: (-t.literal, t.key)))


def match(section: str, rule: str, text: str) -> tuple[str, dict[str, str]] | None:
    """The key of the English template ``text`` was made from, and the values it holds."""
    for template in _templates(section, rule):
        found = template.pattern.fullmatch(text)
        if found is not None:
            values = {name: found.group(f"f{i}") for i, (name, _) in enumerate(template.fields)}
            return template.key, values
    return None


def _vocabulary(template: str) -> dict[str, str]:
    return {
        field.partition("|")[0]: field.partition("|")[2]
        for _, field in _parse(template)
        if field and "|" in field
    }


def _say_words(value: str, vocabulary: str, lang: str) -> str:
    """A list of vocabulary words said in ``lang``, split and joined by its separators."""
    words = (catalogue(lang).get("vocabulary") or {}).get(vocabulary) or {}
    if value in words:
        return str(words[value])
    source_joins = catalogue(SOURCE_LANGUAGE).get("joins") or {}
    target_joins = catalogue(lang).get("joins") or {}
    for separator in source_joins:
        if separator in value:
            return str(target_joins.get(separator, separator)).join(
                _say_words(part, vocabulary, lang) for part in value.split(separator)
            )
    return value


def say_text(section: str, rule: str, text: str, lang: str) -> str | None:
    """``text`` (an English message or hint of ``rule``) in ``lang``; None if no template
    matches or ``lang`` has no catalogue."""
    if not text or lang == SOURCE_LANGUAGE:
        return text if lang == SOURCE_LANGUAGE else None
    found = match(section, rule, text)
    target = (catalogue(lang).get(section) or {}).get(found[0]) if found else None
    if found is None or target is None:
        return None
    key, values = found
    words = _vocabulary(catalogue(SOURCE_LANGUAGE)[section][key])
    filled = {
        name: _say_words(value, words[name], lang) if name in words else value
        for name, value in values.items()
    }
    out = ""
    for literal, field in _parse(target):
        out += literal
        if field is not None:
            out += filled.get(field.partition("|")[0], "")
    return out


# CLDR's plural rules of the catalogue's languages, for the slim install (`pip install
# privacy-pages`, no Babel) whose `check` says "1 file" and "2 files" all the same.
_PLURAL_RULES = {
    "en": lambda n: "one" if n == 1 and float(n).is_integer() else "other",  # i = 1 and v = 0
    "fr": lambda n: "one" if int(abs(n)) in (0, 1) else "other",  # i = 0,1
}


def plural_form(lang: str, n: float) -> str:
    """The CLDR plural category of ``n`` in ``lang``: Babel's when it is installed (the
    ``site`` extra), else the rule of the catalogue's language."""
    try:
        from babel import Locale
    except ImportError:
        return _PLURAL_RULES[lang](n)
    return Locale.parse(lang).plural_form(n)


def report_text(key: str, lang: str, **values: Any) -> str:
    """A word of the text reporter (``report.<key>``) in ``lang``, else English; a key with
    ``one`` and ``other`` forms is chosen by ``n`` with the language's plural rule."""
    for source in (lang, SOURCE_LANGUAGE):
        entry = (catalogue(source).get("report") or {}).get(key)
        if isinstance(entry, dict):
            form = plural_form(source, values.get("n", 0))
            entry = entry.get(form) or entry.get("other")
        if entry is not None:
            return str(entry).format(**values)
    raise KeyError(f"report.{key}")


@dataclass(frozen=True)
class Said:
    """A diagnostic's message and hint in one language, and the language each is really in
    (English when the catalogue has no template for it)."""

    message: str
    message_lang: str
    hint: str
    hint_lang: str


def say(diagnostic: Diagnostic, lang: str) -> Said:
    """``diagnostic``'s message and hint in ``lang``, else in English."""
    message = say_text("messages", diagnostic.rule, diagnostic.message, lang)
    hint = say_text("hints", diagnostic.rule, diagnostic.hint, lang) if diagnostic.hint else ""
    return Said(
        message if message is not None else diagnostic.message,
        lang if message is not None else SOURCE_LANGUAGE,
        hint if hint is not None else diagnostic.hint,
        lang if hint is not None else SOURCE_LANGUAGE,
    )

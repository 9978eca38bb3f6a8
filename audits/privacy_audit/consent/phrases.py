"""The labels of a banner's controls, by kind and language (`phrases.yaml`, shipped in the
package): what the text fallback looks for when autoconsent does not know the banner."""

from __future__ import annotations

from typing import Literal

from privacy_audit.resources import package_text
from privacy_pages.data_yaml import load_yaml

Kind = Literal["refuse", "accept", "settings", "save", "pay", "close"]
Choice = Literal["refuse", "accept"]
KINDS: tuple[Kind, ...] = ("refuse", "accept", "settings", "save", "pay", "close")
PhraseTable = dict[str, tuple[str, ...]]
"""Language (``fr``) to its phrases, most specific first."""


def _load() -> tuple[dict[str, PhraseTable], tuple[str, ...]]:
    data = load_yaml(package_text("privacy_audit.consent", "phrases.yaml"))
    tables: dict[str, PhraseTable] = {
        kind: {str(lang): tuple(words) for lang, words in data[kind].items()} for kind in KINDS
    }
    return tables, tuple(data["close_glyphs"])


PHRASE_TABLES, CLOSE_GLYPHS = _load()
"""Each kind's table; the glyphs of a close control (×) whatever the language."""
REFUSE_PHRASES = PHRASE_TABLES["refuse"]
ACCEPT_PHRASES = PHRASE_TABLES["accept"]


def phrases_for(language: str, table: PhraseTable) -> list[str]:
    """Every phrase, the page's language first, so its words win over lookalikes."""
    primary = (language or "").split("-")[0].lower()
    ordered = list(table.get(primary, ()))
    for lang, words in table.items():
        if lang != primary:
            ordered.extend(words)
    return list(dict.fromkeys(ordered))

"""Interface text in several languages: the one catalogue loader of the pages and the reports.

A catalogue is one YAML file per language in a package's ``locales/`` folder, its nested keys
read as ``section.key``. A key a language lacks falls back to English, so a partial
catalogue still says everything. A key whose forms are the plural categories of CLDR
(``key.one``, ``key.other``...) is chosen by the count ``n`` with Babel's plural rules for
the language. The catalogues hold only fixed vocabulary and sentences of ours; text about a
controller comes from its YAML file and text about a site from the site.

`PAGES` holds the pages' catalogues (``privacy_pages/render/locales``); the audit report
loads its own (``privacy_audit/locales``) through the same `Catalogues`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError

from privacy_pages.data_yaml import load_yaml

FALLBACK_LANGUAGE = "en"


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
def plural_form(lang: str, count: float) -> str:
    """The CLDR plural category of ``count`` in ``lang`` ("one", "other"...)."""
    try:
        return Locale.parse(lang.replace("-", "_")).plural_form(count)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(FALLBACK_LANGUAGE).plural_form(count)


class Catalogues:
    """The catalogues of one package (``locales/<lang>.yaml``), English the fallback."""

    def __init__(self, package: str, folder: str = "locales") -> None:
        self.package = package
        self.folder = folder
        self.catalogue = functools.cache(self._load)

    def _load(self, lang: str) -> dict[str, str]:
        """The flat key -> text map of ``lang`` (empty for a language without a file)."""
        base = lang.split("-")[0]
        resource = resources.files(self.package).joinpath(self.folder, f"{base}.yaml")
        if not resource.is_file():
            return {}
        return _flatten(load_yaml(resource.read_text(encoding="utf-8")) or {})

    def languages(self) -> tuple[str, ...]:
        """The languages with a catalogue file, sorted."""
        folder = resources.files(self.package).joinpath(self.folder)
        return tuple(
            sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
        )

    def has(self, key: str, lang: str) -> bool:
        """Whether ``lang``'s own catalogue holds ``key`` (no fallback)."""
        return key in self.catalogue(lang)

    def lookup(self, key: str, lang: str) -> str | None:
        """The text of ``key`` in ``lang``, else in English, else None."""
        found = self.catalogue(lang).get(key)
        return found if found is not None else self.catalogue(FALLBACK_LANGUAGE).get(key)

    def translate(self, key: str, lang: str, **values: Any) -> str:
        """The text of ``key`` in ``lang`` (else English), its placeholders filled in.

        A plural key (``key.one``, ``key.other``...) is chosen by ``n`` in the rules of the
        language the text is written in.
        """
        text = self.lookup(key, lang)
        if text is None and "n" in values:
            written_in = lang if self.catalogue(lang) else FALLBACK_LANGUAGE
            form = plural_form(written_in, values["n"])
            text = self.lookup(f"{key}.{form}", lang) or self.lookup(f"{key}.other", lang)
        if text is None:
            raise MissingText(key)
        return text.format(**values) if values else text

    def text_lang(self, key: str, lang: str) -> str:
        """The language ``translate(key, lang)`` is really written in."""
        return lang if self.has(key, lang) else FALLBACK_LANGUAGE

    def section(self, name: str, lang: str) -> dict[str, str]:
        """Every text of one top-level section, English for a key ``lang`` lacks."""
        prefix = f"{name}."
        merged = {**self.catalogue(FALLBACK_LANGUAGE), **self.catalogue(lang)}
        return {k[len(prefix) :]: v for k, v in merged.items() if k.startswith(prefix)}


PAGES = Catalogues("privacy_pages.render")
"""The interface strings of the rendered pages (en and fr complete; de, es, it and nl hold
the fixed vocabulary)."""

catalogue = PAGES.catalogue
translate = PAGES.translate
has_string = PAGES.has
string_lang = PAGES.text_lang

"""What templates call: prose in the page language with visible fallback, labels, formats.

One `PageText` serves one page of one controller in one language. It records every prose
field it had to show in another language, so that the page can say so at the top.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import jinja2
from markupsafe import Markup, escape

from privacy_pages.i18n import has_string, string_lang, translate
from privacy_pages.model.text import resolve_text
from privacy_pages.render import formatting
from privacy_pages.render.cited import OutdatedSentence, citations
from privacy_pages.render.escaping import markdown_inline
from privacy_pages.render.prose import prose_blocks
from privacy_pages.rules.sources import Law


@functools.lru_cache(maxsize=8192)
def _fixed_string(key: str, lang: str) -> Markup:
    """An interface string without placeholders: the same on every page, so built once."""
    text = escape(translate(key, lang))
    source = string_lang(key, lang)
    if source != lang:
        return Markup('<span lang="{}">{}</span>').format(source, text)
    return text


@functools.lru_cache(maxsize=8192)
def _heading(level: int, html: Markup, anchor: str) -> Markup:
    return Markup(f"{'#' * level} {markdown_inline(html)} {{#{escape(anchor)}}}")


class PageText:
    """Text helpers bound to a page language and the controller's default language."""

    def __init__(
        self,
        lang: str,
        default_lang: str,
        proper_names: frozenset[str] = frozenset(),
        law: Law | None = None,
    ) -> None:
        self.lang = lang
        self.default_lang = default_lang
        # The law of the page's date: sentences that state an outdated law are refused.
        self.law = law or Law.today()
        # Names the same in every language (the file's ``proper_names``): never a fallback.
        self.proper_names = proper_names
        self.fallback_languages: set[str] = set()
        self.own_count = 0  # prose shown in the page language (the notice says all or some)

    # -- interface strings -------------------------------------------------------------
    def in_force(self, key: str) -> bool:
        """Whether the law a fixed sentence states is in force on the page's date (always
        true for a sentence that cites no source)."""
        return self.law.in_force_all(citations(key))

    def t(self, key: str, **values: Any) -> Markup:
        """An interface string, escaped; values may be Markup (already safe) or plain text.

        A sentence that states a law no longer (or not yet) in force on the page's date is
        refused: the template must choose another with `in_force` first."""
        if not self.in_force(key):
            raise OutdatedSentence(f"{key} states law not in force on {self.law.as_of.isoformat()}")
        if not values:
            return _fixed_string(key, self.lang)
        # str.format on the escaped template with escaped values: as safe as Markup.format
        # (every piece is escaped exactly once) and several times faster on every page.
        template = str(escape(translate(key, self.lang)))
        text = template.format(**{k: str(escape(v)) for k, v in values.items()})
        source = string_lang(key, self.lang)
        if source != self.lang:
            return Markup(f'<span lang="{source}">{text}</span>')
        return Markup(text)

    @property
    def colon(self) -> Markup:
        """ ":" as the language writes it (French puts a no-break space before it)."""
        return self.t("punctuation.colon")

    def plain(self, key: str, **values: Any) -> str:
        """An interface string as plain text (for attributes and page titles)."""
        return translate(key, self.lang, **values)

    def label(self, group: str, value: str | None) -> Markup:
        """The translated label of a closed-vocabulary value (legal basis, right...)."""
        if not value:
            return Markup("")
        try:
            return self.t(f"{group}.{value}")
        except KeyError:
            return escape(value)

    # -- prose from the controller file --------------------------------------------------
    def resolve(self, value: Any) -> tuple[str, str, bool] | None:
        if value is None or isinstance(value, jinja2.Undefined) or value == "":
            return None
        if isinstance(value, str) and value in self.proper_names:
            return value, self.lang, False
        resolved = resolve_text(value, self.lang, self.default_lang)
        if resolved is None:
            return None
        if resolved.is_fallback:
            self.fallback_languages.add(resolved.lang)
        else:
            self.own_count += 1
        return resolved.text, resolved.lang, resolved.is_fallback

    def raw(self, value: Any) -> str:
        """Prose as plain text in the best language (titles, attributes, exports)."""
        resolved = self.resolve(value)
        return resolved[0] if resolved else ""

    def _marker(self, lang: str) -> Markup:
        marker = translate(
            "fallback.marker", self.lang, language=formatting.language_name(lang, self.lang)
        )
        return Markup(
            ' <small class="pp-fallback-note" title="{0}" aria-label="{0}">{1}</small>'
        ).format(marker, lang.upper())

    def text(self, value: Any, marker: bool = True) -> Markup:
        """Prose inline: escaped; in another language, wrapped with its ``lang`` and marked.

        ``marker=False`` leaves the visible marker out (page titles, which MkDocs also uses
        as navigation labels; the notice at the top of the page still says it).
        """
        resolved = self.resolve(value)
        if resolved is None:
            return Markup("")
        text, lang, is_fallback = resolved
        if not is_fallback:
            return escape(text)
        span = Markup('<span lang="{}" class="pp-fallback">{}</span>').format(lang, text)
        return span + self._marker(lang) if marker else span

    def name(self, value: Any) -> Markup:
        """A proper name (company, brand, product): the same in every language.

        A plain string is never a fallback: no ``lang``, no badge, no page notice, and
        ``translate="no"`` for machine translators. A map (a name that does differ by
        language) is prose, with the usual fallback.
        """
        if isinstance(value, str) and value:
            return Markup('<span translate="no">{}</span>').format(value)
        return self.text(value)

    def written(self, value: Any) -> Markup:
        """A plain string of a field that takes no language map (a legal form, the consent
        manager's name, an SMS keyword...), written in the controller's default language.

        On a page in another language it carries that language's ``lang`` (WCAG 3.1.2,
        language of parts), without the fallback badge and outside the page notice: the
        file has no translation to give, so nothing is missing. An entry of the file's
        ``proper_names`` is a name instead: ``translate="no"`` and no ``lang``.
        """
        if value is None or isinstance(value, jinja2.Undefined) or value == "":
            return Markup("")
        text = str(value)
        if text in self.proper_names:
            return Markup('<span translate="no">{}</span>').format(text)
        if self.lang == self.default_lang:
            return escape(text)
        return Markup('<span lang="{}">{}</span>').format(self.default_lang, text)

    def authority(self, name: str) -> Markup:
        """A supervisory authority as the language names it in a sentence: "la CNIL", "the
        CNIL" for the ones the catalogue knows, else "the supervisory authority (name)"."""
        key = f"authority.known.{name.strip()}"
        if has_string(key, self.lang):
            return self.t(key)
        return self.t("authority.other", name=Markup('<span translate="no">{}</span>').format(name))

    def para(self, value: Any, css: str = "") -> Markup:
        """Prose as paragraphs, line breaks and lists as written (`prose`), never markup."""
        resolved = self.resolve(value)
        if resolved is None:
            return Markup("")
        text, lang, is_fallback = resolved
        attrs = Markup(' class="{}"').format(css) if css else Markup("")
        if is_fallback:
            attrs = Markup(' lang="{}" class="pp-fallback {}"').format(lang, css)
        return prose_blocks(text, attrs, self._marker(lang) if is_fallback else Markup(""))

    def heading(self, level: int, content: Markup | str, anchor: str) -> Markup:
        """A Markdown heading line (MkDocs reads headings for the table of contents)."""
        html = content if isinstance(content, Markup) else escape(content)
        return _heading(level, html, str(anchor))

    # -- formats -------------------------------------------------------------------------
    def duration(self, value: str | None) -> str:
        return formatting.format_duration(str(value), self.lang) if value else ""

    def date(self, value: Any) -> str:
        return formatting.format_day(value, self.lang) if value else ""

    def money(self, capital: dict[str, Any]) -> str:
        return formatting.format_money(capital["amount"], capital.get("currency", "EUR"), self.lang)

    def country(self, code: str | None) -> str:
        return formatting.country_name(code, self.lang) if code else ""

    def countries(self, codes: Iterable[str]) -> str:
        from babel.lists import format_list

        return format_list(
            [self.country(c) for c in codes], locale=formatting.babel_locale(self.lang)
        )

    def languages(self, codes: Iterable[str]) -> str:
        """Language codes as one phrase in the page language ("français et anglais")."""
        return formatting.language_list(list(codes), self.lang)

    def retention_starts(self, start: str | list[str]) -> Markup:
        """ "from the last contact or after the last order": one start event, or several."""
        from babel.lists import format_list

        starts = start if isinstance(start, list) else [start]
        labels = [str(self.t(f"retention.from.{s}")) for s in starts]
        if len(labels) == 1:
            return Markup(labels[0])
        return Markup(format_list(labels, style="or", locale=formatting.babel_locale(self.lang)))

    def retention(self, rule: dict[str, Any]) -> Markup:
        """ "36 months of inactivity, then anonymised" from a structured retention rule."""
        parts: list[Markup] = []
        duration = rule.get("duration")
        start, until, then = rule.get("from"), rule.get("until"), rule.get("then")
        if duration:
            phrase = escape(self.duration(duration))
            if start:
                phrase = Markup("{} {}").format(phrase, self.retention_starts(start))
            if until:
                phrase = Markup("{} {}").format(
                    phrase, self.t("retention.or_until", until=self.t(f"retention.until.{until}"))
                )
            parts.append(phrase)
        elif until:
            parts.append(self.t(f"retention.until.{until}"))
        if parts and then:
            parts[-1] = Markup("{}, {}").format(parts[-1], self.t(f"retention.then.{then}"))
        sentence = Markup("").join(parts)
        if not sentence and not rule.get("criteria") and not rule.get("description"):
            sentence = self.t("retention.unspecified")
        return sentence

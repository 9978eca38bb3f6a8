"""Draft pages: a controller published with gaps says so on every page and asks not to be indexed.

The notice is one HTML block put right under the page title; it names each gap as `check`
reports it (rule ID and message, which are English, so marked ``lang="en"`` on pages in
other languages). The ``noindex`` meta goes into the page head in the plugin's
``on_post_page`` (not in a theme override a site could replace) and at the top of exported
fragments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from markupsafe import Markup, escape

from privacy_pages.diagnostics import Diagnostic
from privacy_pages.i18n import string_lang, translate
from privacy_pages.render.pages import RenderedPage

NOINDEX = '<meta name="robots" content="noindex">'
_RULE_MESSAGE_LANG = "en"


def _lang_attr(key: str, lang: str) -> Markup:
    source = string_lang(key, lang)
    return Markup(' lang="{}"').format(source) if source != lang else Markup("")


def draft_notice(gaps: Sequence[Diagnostic], lang: str) -> str:
    """The visible draft notice of a page in ``lang``, listing ``gaps``."""
    title_key, text_key = "draft.title", "draft.text"
    items = Markup("").join(
        Markup("<li><code>{}</code> {}</li>").format(gap.rule, gap.message) for gap in gaps
    )
    list_lang = Markup(' lang="{}"').format(_RULE_MESSAGE_LANG) if lang != "en" else Markup("")
    return str(
        Markup(
            '<div class="admonition warning pp-draft-notice" role="note">\n'
            '<p class="admonition-title"{}>{}</p>\n'
            "<p{}>{}</p>\n"
            "<ul{}>{}</ul>\n"
            "</div>"
        ).format(
            _lang_attr(title_key, lang),
            escape(translate(title_key, lang)),
            _lang_attr(text_key, lang),
            escape(translate(text_key, lang, count=len(gaps))),
            list_lang,
            items,
        )
    )


def as_draft(page: RenderedPage, gaps: Sequence[Diagnostic]) -> RenderedPage:
    """``page`` with the draft notice under its title (the first line, a heading)."""
    title, _, rest = page.markdown.partition("\n")
    notice = draft_notice(gaps, page.lang)
    return dataclasses.replace(page, markdown=f"{title}\n\n{notice}\n\n{rest.lstrip(chr(10))}")


def with_noindex(html: str) -> str:
    """A built HTML page with the robots ``noindex`` meta first in its head."""
    head = html.find("<head>")
    if head == -1:
        return NOINDEX + "\n" + html
    cut = head + len("<head>")
    return html[:cut] + "\n" + NOINDEX + html[cut:]

"""Keep text from YAML text: HTML-escape it, and neutralise Markdown where Markdown is emitted.

Page bodies are HTML blocks, which Markdown leaves alone; only headings are Markdown (so
that MkDocs builds the table of contents from them). In a heading, every character Markdown
or its extensions could read as syntax becomes a numeric character reference: it shows as
itself and never as markup.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup

_TAG = re.compile(r"(<[^>]*>|&#?[0-9A-Za-z]+;)")
_MARKDOWN_SIGNIFICANT = set("\\`*_{}[]()#+-.!|~^=:$@\"'")


def escape_markdown_text(text: str) -> str:
    """Text (already free of tags) with Markdown-significant characters as references."""
    return "".join(f"&#{ord(ch)};" if ch in _MARKDOWN_SIGNIFICANT else ch for ch in text)


def markdown_inline(html: str | Markup) -> str:
    """Safe inline HTML made safe to put on a Markdown heading line.

    Tags (ours: ``<span lang>``, ``<small>``) and character references are kept; the text between them is escaped
    for Markdown. Newlines would end the heading, so they become spaces.
    """
    pieces = _TAG.split(str(html).replace("\n", " "))
    return "".join(p if i % 2 else escape_markdown_text(p) for i, p in enumerate(pieces))


_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


@functools.lru_cache(maxsize=4096)
def _checked_url(url: str) -> str | None:
    cleaned = "".join(ch for ch in url if ch >= " " and ch != "\x7f")
    match = _SCHEME.match(cleaned)
    if match and match.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return cleaned.strip()


def safe_url(url: object) -> str | None:
    """``url`` if following it can only navigate (http, https, mailto, tel, relative, #frag).

    ``javascript:``, ``data:`` and the like from a YAML file never become a link.
    """
    if not isinstance(url, str) or not url.strip():
        return None
    return _checked_url(url)

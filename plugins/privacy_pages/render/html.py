"""Page Markdown -> standalone HTML fragment, with the Markdown extensions the site uses."""

from __future__ import annotations

import markdown

MARKDOWN_EXTENSIONS = ["toc", "attr_list", "admonition"]


def markdown_to_html(text: str) -> str:
    """The HTML of a rendered page, for sites not built with MkDocs."""
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html") + "\n"

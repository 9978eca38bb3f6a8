"""Split a page's Markdown into headings for Markdown and HTML bodies to splice back in.

Page bodies are HTML we generated and escaped ourselves; Python-Markdown would only parse
them again to find where each raw block ends, which costs as much as converting the rest
of the page. The MkDocs plugin therefore hands Markdown a skeleton, the headings (for the
title and table of contents) with a comment in place of each body block, and puts the
bodies back into the converted HTML. The result is the HTML of converting the full page.
"""

from __future__ import annotations

import re

_PLACEHOLDER = "<!-- pp-block {} -->"
_PLACEHOLDER_RE = re.compile(r"<!-- pp-block (\d+) -->")


def split_blocks(markdown: str) -> tuple[str, list[str]]:
    """(skeleton Markdown, body blocks): each blank-line-separated HTML block becomes a
    placeholder comment; heading lines stay."""
    skeleton: list[str] = []
    blocks: list[str] = []
    for chunk in markdown.strip("\n").split("\n\n"):
        if chunk.startswith("#"):
            skeleton.append(chunk)
        else:
            skeleton.append(_PLACEHOLDER.format(len(blocks)))
            blocks.append(chunk)
    return "\n\n".join(skeleton) + "\n", blocks


def splice_blocks(html: str, blocks: list[str]) -> str:
    """Put the body blocks back where their placeholders are in the converted HTML."""
    return _PLACEHOLDER_RE.sub(lambda m: blocks[int(m.group(1))], html)

"""Prose from a controller file as HTML blocks that keep the author's layout.

Blank lines separate paragraphs; a single newline is a line break (a list of credits, an
address); consecutive lines starting with ``-``, ``*`` or ``•`` form a bulleted list. The
text is always escaped: nothing in it is read as Markdown or HTML.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BULLET = re.compile(r"^[-*•]\s+")


def _runs(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """Consecutive lines grouped as (is a list, lines)."""
    runs: list[tuple[bool, list[str]]] = []
    for line in lines:
        bullet = bool(_BULLET.match(line))
        text = _BULLET.sub("", line) if bullet else line
        if runs and runs[-1][0] == bullet:
            runs[-1][1].append(text)
        else:
            runs.append((bullet, [text]))
    return runs


def prose_blocks(text: str, attrs: Markup, marker: Markup | None = None) -> Markup:
    """``text`` as ``<p>``/``<ul>`` blocks carrying ``attrs``; ``marker`` ends the last one."""
    blocks: list[Markup] = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        for is_list, run in _runs(lines):
            if is_list:
                items = Markup("").join(Markup("<li>{}</li>").format(item) for item in run)
                blocks.append(Markup("<ul{}>{}</ul>").format(attrs, items))
            else:
                # Kept on one line: no text from the file may start a Markdown line.
                body = Markup("<br>").join(escape(line) for line in run)
                blocks.append(Markup("<p{}>{}</p>").format(attrs, body))
    if blocks and marker:
        last = blocks[-1]
        end = "</li></ul>" if last.endswith("</ul>") else "</p>"
        blocks[-1] = Markup(last[: -len(end)]) + marker + Markup(end)
    return Markup("").join(block + Markup("\n") for block in blocks)

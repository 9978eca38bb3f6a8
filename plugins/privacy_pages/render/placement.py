"""Put extra sections where their author said (`position`), after the page is rendered.

The templates emit each extra section between two markers that carry its position; this
moves the marked blocks next to the heading they name (``## ... {#anchor}``) and removes
the markers. A section whose target is not on the page stays where the extras are (the end
of the page); `check` warns about it (CS009).
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r"<!-- pp-extra (\S+) -->\n(.*?)<!-- /pp-extra -->\n?", re.DOTALL)
_SLOT = "<!-- pp-extra-slot -->\n"


def _heading_at(markdown: str, anchor: str) -> int:
    """Offset of the H2 line with ``{#anchor}`` (or ``{#extra-anchor}``), -1 if none."""
    for name in (anchor, f"extra-{anchor}"):
        found = re.search(rf"^## .*\{{#{re.escape(name)}\}}$", markdown, re.MULTILINE)
        if found:
            return found.start()
    return -1


def _insertion_point(markdown: str, position: str) -> int:
    slot = markdown.index(_SLOT)
    if position == "end":
        return slot
    if position == "start":
        first = re.search(r"^## ", markdown, re.MULTILINE)
        return first.start() if first else slot
    side, _, target = position.partition(":")
    at = _heading_at(markdown, target)
    if at == -1 or side not in ("before", "after"):
        return -1
    if side == "before":
        return at
    following = re.compile(r"^## ", re.MULTILINE).search(markdown, at + 1)
    return min(following.start() if following else slot, slot)


def place_extra_sections(markdown: str) -> str:
    """``markdown`` with every marked extra section moved to its position."""
    blocks = [(m.group(1), m.group(2)) for m in _BLOCK.finditer(markdown)]
    if not blocks:
        return markdown
    first = True

    def _remove(match: re.Match[str]) -> str:
        nonlocal first
        keep, first = (_SLOT if first else ""), False
        return keep

    markdown = _BLOCK.sub(_remove, markdown)
    pending = blocks
    while pending:
        waiting = []
        for position, block in pending:
            at = _insertion_point(markdown, position)
            if at == -1:
                waiting.append((position, block))
                continue
            markdown = markdown[:at] + block + markdown[at:]
        if len(waiting) == len(pending):  # targets that never appear: the end of the page
            for _position, block in waiting:
                at = markdown.index(_SLOT)
                markdown = markdown[:at] + block + markdown[at:]
            break
        pending = waiting
    return markdown.replace(_SLOT, "")

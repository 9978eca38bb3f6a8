"""Append mappings to ``cookies.trackers`` of a YAML file by adding lines, and only that.

`suggest --write` promises a diff that only adds lines. Dumping the whole document again
(even with ruamel.yaml's round trip) re-indents a 4-space file, turns CRLF into LF, drops a
byte-order mark, an anchor's name or a ``...`` end marker. So the new entries are written
as text, in the style of their neighbours (the dash's column, the keys' column, flow or
block), and inserted after the list's last item (or the end of ``cookies:``, or of the
document). Every other byte of the file stays as it was, line endings included.

A list this cannot extend line by line (a flow list ``[...]``, an alias) goes through the
round trip instead. Either way the caller checks that the result means the old file plus
the new entries, and nothing else.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

_TERMINATOR = re.compile(r"^(\.\.\.|---)(\s|$)")


class CannotAppend(Exception):
    """The list is not in a shape that lines can extend; the caller falls back."""


def split_lines(text: str) -> list[str]:
    """Lines with their own ending (LF, or CRLF where the file uses it), as YAML counts them.

    `CannotAppend` for a lone carriage return: YAML counts it as a line break, and the
    positions ruamel.yaml gives would not match these lines.
    """
    if "\r" in text.replace("\r\n", ""):
        raise CannotAppend("lone carriage returns")
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _block_end(lines: Sequence[str], start: int, column: int) -> int:
    """The index after the last content line of the block starting at ``start``: the lines
    below it indented deeper than ``column``; a comment at or left of ``column``, a
    ``...``/``---`` marker or a shallower key ends it."""
    last = start
    for index in range(start + 1, len(lines)):
        line = lines[index].rstrip("\r\n")
        if _TERMINATOR.match(line):
            if last > start or line.startswith("..."):
                break
            continue  # the document's opening ---
        if not line.strip():
            continue
        if _indent(line) <= column:
            break
        if _is_content(line):
            last = index
    return last + 1


def _dump(entry: Mapping[str, Any], flow: bool) -> list[str]:
    """One mapping as YAML lines (no line endings), quoted where YAML needs it."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.width = 4096
    node = CommentedMap(entry)
    if flow:
        node.fa.set_flow_style()
    out = io.StringIO()
    yaml.dump(node, out)
    return out.getvalue().rstrip("\n").split("\n")


def _items(entries: Sequence[Mapping[str, Any]], dash: int, content: int, flow: bool) -> list[str]:
    """The entries as sequence items: ``-`` at column ``dash``, keys at column ``content``."""
    result = []
    gap = " " * max(1, content - dash - 1)
    for entry in entries:
        lines = _dump(entry, flow)
        result.append(" " * dash + "-" + gap + lines[0])
        result.extend(" " * content + line for line in lines[1:])
    return result


def _ending(lines: Sequence[str], index: int) -> str:
    """The line ending of the line before ``index`` (the file's own), LF by default."""
    if index > 0 and lines[index - 1].endswith("\r\n"):
        return "\r\n"
    return "\n"


def _insert(lines: list[str], at: int, new: Sequence[str]) -> str:
    ending = _ending(lines, at) if at else ("\r\n" if lines and lines[0].endswith("\r\n") else "\n")
    if at and not lines[at - 1].endswith("\n"):
        lines[at - 1] += ending  # the file ended without a line break
    lines[at:at] = [line + ending for line in new]
    return "".join(lines)


def append_trackers(
    text: str, document: Any, entries: Sequence[Mapping[str, Any]], indent: tuple[int, int, int]
) -> str:
    """``text`` with ``entries`` appended to ``cookies.trackers``, by inserting lines only.

    ``document`` is ruamel.yaml's round-trip load of ``text`` (for positions); ``indent`` is
    the file's (mapping, sequence, dash offset). Raises `CannotAppend` when the list is not
    a block list of items, or the place to insert cannot be told from the lines.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    lines = split_lines(text)
    cookies = document.get("cookies")
    if cookies is None:
        at = _block_end(lines, -1, -1) if any(map(_is_content, lines)) else 0
        mapping, _, offset = indent
        new = ["cookies:", " " * mapping + "trackers:"]
        new += _items(entries, mapping + offset, mapping + offset + 2, flow=False)
        return _insert(lines, at, new)
    if not isinstance(cookies, CommentedMap) or cookies.fa.flow_style() or not cookies:
        raise CannotAppend("cookies is not a block mapping")
    trackers = cookies.get("trackers")
    if trackers is None:
        key_line, key_column = cookies.lc.key(list(cookies)[-1])
        at = _block_end(lines, key_line, key_column - 1)
        _, _, offset = indent
        new = [" " * key_column + "trackers:"]
        new += _items(entries, key_column + offset, key_column + offset + 2, flow=False)
        return _insert(lines, at, new)
    if not isinstance(trackers, CommentedSeq) or trackers.fa.flow_style() or not trackers:
        raise CannotAppend("cookies.trackers is not a block list with items")
    last = len(trackers) - 1
    line, content = trackers.lc.item(last)
    dash = lines[line].rfind("-", 0, content)
    if dash < 0 or lines[line][dash + 1 : content].strip():
        raise CannotAppend("the last item's dash is not on its line")
    previous = trackers[last]
    flow = isinstance(previous, CommentedMap) and previous.fa.flow_style()
    if not isinstance(previous, CommentedMap):
        raise CannotAppend("the last item is not a mapping")
    return _insert(lines, _block_end(lines, line, dash), _items(entries, dash, content, flow))

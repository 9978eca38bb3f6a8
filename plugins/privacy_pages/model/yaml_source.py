"""Read one YAML file into plain data plus the line and column of every value.

PyYAML's safe loader silently keeps the last of two duplicate keys, expands aliases
without limit and reads ``no`` as ``False``. We compose the node graph with the C
parser (fast, marks on every node) and build the data ourselves, so that each of those
becomes a diagnostic pointing at the line a person must edit.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from privacy_pages.data_yaml import SAFE_LOADER
from privacy_pages.diagnostics import Diagnostic, Severity

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_NODES = 200_000
MAX_DEPTH = 64


class _Loader(SAFE_LOADER):  # type: ignore[misc, valid-type]
    """Safe loader with YAML 1.2 booleans: ``no``/``off`` stay strings (country code NO)."""


_Loader.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in SAFE_LOADER.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

_scalar_constructor = yaml.SafeLoader("")
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_resolver = _Loader("")
# A plain scalar whose first character starts no implicit type (most keys and prose) is a
# string: the resolver is not asked, as it would answer the same.
_RESOLVED_BY_FIRST = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)  # type: ignore[attr-defined]
_PLAIN_FAST = None not in _Loader.yaml_implicit_resolvers  # type: ignore[attr-defined]
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")
}


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document stands, by JSON pointer."""

    values: dict[str, tuple[int, int]] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, pointer: str) -> tuple[int, int]:
        """Line and column of the value at ``pointer``, or of its closest known parent."""
        while True:
            if pointer in self.values:
                return self.values[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]

    def of_key(self, pointer: str) -> tuple[int, int]:
        """Line and column of the key that holds ``pointer`` (falls back to the value)."""
        return self.keys.get(pointer) or self.of_value(pointer)


@dataclass
class LoadedDocument:
    """One source file: its data (None when unreadable), positions and load problems."""

    path: str
    data: Any
    positions: Positions
    diagnostics: list[Diagnostic]
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics
        )


def escape_pointer_token(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_within(pointer: str, prefix: str) -> bool:
    """Whether JSON pointer ``pointer`` is ``prefix`` or below it (an empty prefix is the root)."""
    return not prefix or pointer == prefix or pointer.startswith(prefix.rstrip("/") + "/")


class _LoadProblem(Exception):
    def __init__(self, rule: str, message: str, line: int, column: int, hint: str = "") -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.column, self.hint = (
            rule,
            message,
            line,
            column,
            hint,
        )


class _Frame:
    """An open mapping or sequence while events stream in."""

    __slots__ = ("anchor", "key", "key_mark", "mark", "merges", "pointer", "seen", "size", "value")

    def __init__(self, value: Any, pointer: str, anchor: str | None, mark: Any) -> None:
        self.value = value
        self.pointer = pointer
        self.anchor = anchor
        self.mark = mark
        self.size = 1
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.seen: dict[str, int] = {}
        self.merges: list[dict[str, Any]] = []


_NO_KEY = object()
_MERGE_KEY = object()


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Builder:
    """Builds dicts, lists and scalars straight from the C parser's event stream.

    Iterative, with an explicit stack: a hostile file nested 100,000 levels deep is a
    diagnostic, not a crashed interpreter (PyYAML's composer recurses in C). Aliases are
    shared, but their expanded size is counted, so an alias bomb stops early.
    """

    def __init__(self, max_nodes: int) -> None:
        self.positions = Positions()
        self.max_nodes = max_nodes
        self.count = 0
        self.duplicates: list[_LoadProblem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.root: Any = _NO_KEY
        self.root_mark: Any = None

    def build(self, next_event: Callable[[], Any]) -> Any:
        """The value of the events ``next_event`` returns one by one, up to the stream's end
        (the parser's own method: no generator between it and the builder)."""
        documents = 0
        while True:
            event = next_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._start(event, {} if kind is yaml.MappingStartEvent else [])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._end()
            elif kind is yaml.AliasEvent:
                self._alias(event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _LoadProblem(
                        "YAML001",
                        "more than one YAML document ('---') in the file",
                        *_at(event.start_mark),
                        "keep one controller per file",
                    )
            elif kind is yaml.StreamEndEvent or event is None:
                break
        return None if self.root is _NO_KEY else self.root

    def _pointer_for_next(self) -> str:
        if not self.stack:
            return ""
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            return f"{frame.pointer}/{len(frame.value)}"
        if frame.key is _NO_KEY or frame.key is _MERGE_KEY:
            return frame.pointer
        return f"{frame.pointer}/{escape_pointer_token(frame.key)}"

    def _count(self, amount: int, mark: Any) -> None:
        self.count += amount
        if self.count > self.max_nodes:
            raise _LoadProblem(
                "YAML003",
                f"document expands to more than {self.max_nodes:,} values "
                "(an alias bomb or a generated file?)",
                *_at(mark),
                "remove the repeated aliases or split the file",
            )

    def _check_tag(self, tag: str | None, mark: Any, default: str) -> str:
        if tag is None or tag == "!":
            return default
        if tag not in _STANDARD_TAGS:
            raise _LoadProblem(
                "YAML001",
                f"unsupported tag {_short_tag(tag)}",
                *_at(mark),
                "remove the tag: controller files hold plain values only",
            )
        if default in _COLLECTION_TAGS and tag != default:
            kind = "a mapping" if default.endswith(":map") else "a list"
            raise _LoadProblem(
                "YAML001",
                f"tag {_short_tag(tag)} cannot apply to {kind}",
                *_at(mark),
                "remove the tag: controller files hold plain values only",
            )
        return tag

    def _start(self, event: Any, value: Any) -> None:
        default = "tag:yaml.org,2002:map" if isinstance(value, dict) else "tag:yaml.org,2002:seq"
        self._check_tag(event.tag, event.start_mark, default)
        if len(self.stack) >= MAX_DEPTH:
            raise _LoadProblem(
                "YAML003",
                f"values nested deeper than {MAX_DEPTH} levels",
                *_at(event.start_mark),
                "flatten the structure; a controller file is a few levels deep",
            )
        if self.stack and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY:
            raise _LoadProblem(
                "YAML001",
                "a mapping key must be a plain word, not a list or a mapping",
                *_at(event.start_mark),
            )
        self._count(1, event.start_mark)
        pointer = self._pointer_for_next()
        self.positions.values.setdefault(pointer, _at(event.start_mark))
        self.stack.append(_Frame(value, pointer, event.anchor, event.start_mark))

    def _end(self) -> None:
        frame = self.stack.pop()
        if frame.merges:
            for source in frame.merges:
                for key, item in source.items():
                    frame.value.setdefault(key, item)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, frame.size)
        self._place(frame.value, frame.size, frame.mark)

    def _alias(self, event: Any) -> None:
        try:
            value, size = self.anchors[event.anchor]
        except KeyError:
            raise _LoadProblem(
                "YAML001",
                f"alias *{event.anchor} refers to no anchor defined before it (or to itself)",
                *_at(event.start_mark),
                "define '&name' on a value above, and never inside the value it names",
            ) from None
        self._count(size, event.start_mark)
        self.positions.values.setdefault(self._pointer_for_next(), _at(event.start_mark))
        self._place(value, size, event.start_mark)

    def _scalar(self, event: Any) -> None:
        mark = event.start_mark
        if event.tag is None or event.tag == "!":
            text = event.value
            tag = (
                _STR_TAG
                if event.style
                or not event.implicit[0]
                or (_PLAIN_FAST and text and text[0] not in _RESOLVED_BY_FIRST)
                else _resolver.resolve(yaml.ScalarNode, text, event.implicit)
            )
        else:
            tag = self._check_tag(event.tag, mark, _STR_TAG)
        if tag == _STR_TAG:
            value: Any = event.value
        elif tag == _MERGE_TAG:
            value = _MERGE_KEY
        else:
            value = self._construct(tag, event.value, mark)
        self._count(1, mark)
        if self.stack and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY:
            self._key(value, mark)
            return
        if value is _MERGE_KEY:
            raise _LoadProblem(
                "YAML001",
                "'<<' is YAML's merge key and cannot be a value",
                *_at(mark),
                "quote it (\"<<\") to write the text, or write '<<: *name' to merge a mapping",
            )
        self.positions.values.setdefault(self._pointer_for_next(), _at(mark))
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        self._place(value, 1, mark)

    def _construct(self, tag: str, text: str, mark: Any) -> Any:
        try:
            value = _scalar_constructor.construct_object(yaml.ScalarNode(tag, text), deep=True)
        except yaml.constructor.ConstructorError as error:
            raise self._unreadable(tag, text, mark, str(error.problem)) from None
        except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
            # PyYAML's constructors assume the text matched the tag's pattern: an explicit
            # tag on a value of another shape (!!bool maybe, !!int "") fails inside them.
            raise self._unreadable(tag, text, mark, "") from None
        finally:
            # PyYAML memoises every node it builds; the constructor is shared by every file,
            # so forget each scalar once built (memory grew with the files checked).
            _scalar_constructor.constructed_objects.clear()
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        return value

    @staticmethod
    def _unreadable(tag: str, text: str, mark: Any, problem: str) -> _LoadProblem:
        return _LoadProblem(
            "YAML001",
            f"cannot read {text!r:.40} as {_short_tag(tag)}" + (f": {problem}" if problem else ""),
            *_at(mark),
            f"remove the tag {_short_tag(tag)}, or quote the value to keep it as text",
        )

    def _key(self, key: Any, mark: Any) -> None:
        frame = self.stack[-1]
        if key is not _MERGE_KEY:
            key = key if isinstance(key, str) else str(key)
        frame.key, frame.key_mark = key, mark

    def _place(self, value: Any, size: int, mark: Any) -> None:
        if not self.stack:
            self.root, self.root_mark = value, mark
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.value, list):
            frame.value.append(value)
            return
        key, key_mark = frame.key, frame.key_mark
        frame.key = _NO_KEY
        if key is _MERGE_KEY:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(source, dict) for source in sources):
                raise _LoadProblem(
                    "YAML001", "a merge key (<<) must point to a mapping", *_at(key_mark)
                )
            frame.merges.extend(sources)
            return
        if key in frame.seen:
            self.duplicates.append(
                _LoadProblem(
                    "YAML002",
                    f"duplicate key '{key}' (first at line {frame.seen[key]}): "
                    "YAML keeps only the last value",
                    *_at(key_mark),
                    "remove one of the two keys or merge their values",
                )
            )
            return
        frame.seen[key] = key_mark.line + 1
        self.positions.keys[f"{frame.pointer}/{escape_pointer_token(key)}"] = _at(key_mark)
        frame.value[key] = value


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        start = error.start
        line = raw.count(b"\n", 0, start) + 1
        column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        raise _LoadProblem(
            "YAML004",
            f"not UTF-8: byte 0x{raw[start]:02X} cannot be decoded",
            line,
            column,
            "save the file as UTF-8 (in most editors: 'Save with encoding')",
        ) from None


# Characters YAML 1.1 accepts in a stream; anything else stops the reader.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _reader_problem(error: yaml.reader.ReaderError, text: str) -> _LoadProblem:
    """A character YAML does not accept; the C reader gives only a byte offset, so look it up."""
    found = _NOT_PRINTABLE.search(text)
    if found:
        index = found.start()
    else:  # pragma: no cover - the reader and the pattern agree on what is printable
        index = len(text.encode("utf-8")[: error.position].decode("utf-8", "ignore"))
    char = text[index] if index < len(text) else ""
    code = f"U+{ord(char):04X}" if char else "a character"
    return _LoadProblem(
        "YAML001",
        f"control character {code} is not allowed in a YAML file",
        *_position(text, index),
        "delete it (an editor that shows invisible characters helps); "
        'inside double quotes write it as an escape such as "\\t"',
    )


def _syntax_problem(error: yaml.YAMLError, text: str) -> _LoadProblem:
    if isinstance(error, yaml.reader.ReaderError):
        return _reader_problem(error, text)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    if "maximum nesting depth" in message:
        # libyaml (PyYAML wheels since 6.0.2) stops at depth 1,000 before our own limit does
        return _LoadProblem(
            "YAML003",
            f"values nested deeper than {MAX_DEPTH} levels",
            line,
            column,
            "flatten the structure; a controller file is a few levels deep",
        )
    if "expected a single document" in message:
        return _LoadProblem(
            "YAML001",
            "more than one YAML document ('---') in the file",
            line,
            column,
            "keep one controller per file",
        )
    return _LoadProblem("YAML001", message, line, column, "fix the indentation or quoting")


def load_text(text: str, path: str, *, max_nodes: int = DEFAULT_MAX_NODES) -> LoadedDocument:
    """Parse and build ``text``; every problem becomes a diagnostic, never an exception."""
    builder = _Builder(max_nodes)
    try:
        parser = _Loader(text)
        try:
            data = builder.build(parser.get_event)
        except yaml.YAMLError as error:
            raise _syntax_problem(error, text) from None
        finally:
            parser.dispose()
        if data is None and builder.root is _NO_KEY:
            raise _LoadProblem(
                "YAML005",
                "the file is empty",
                1,
                1,
                "start from an example controller file (README) or delete the file",
            )
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            raise _LoadProblem(
                "YAML006",
                f"the top level is {kind}; a controller file is a mapping",
                *_at(builder.root_mark),
                "start the file with keys such as 'id:', 'languages:' and 'controller:'",
            )
    except _LoadProblem as problem:
        return LoadedDocument(path, None, builder.positions, [_diagnostic(path, problem)], text)
    diagnostics = [_diagnostic(path, p) for p in builder.duplicates]
    return LoadedDocument(path, data, builder.positions, diagnostics, text)


def load_file(
    path: str | Path,
    *,
    display_path: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> LoadedDocument:
    """Read ``path`` with the size, encoding and structure limits above."""
    shown = display_path or str(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            raise _LoadProblem(
                "YAML003",
                f"file is {size / 1_048_576:.1f} MiB, over the {max_bytes / 1_048_576:.0f} MiB "
                "limit for a controller file",
                0,
                0,
                "split it, or raise the limit with --max-file-size",
            )
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
        text = _decode(raw)
    except _LoadProblem as problem:
        return LoadedDocument(shown, None, Positions(), [_diagnostic(shown, problem)])
    return load_text(text, shown, max_nodes=max_nodes)


def _diagnostic(path: str, problem: _LoadProblem) -> Diagnostic:
    return Diagnostic(
        rule=problem.rule,
        severity=Severity.ERROR,
        path=path,
        line=problem.line,
        column=problem.column,
        message=problem.message,
        hint=problem.hint,
    )

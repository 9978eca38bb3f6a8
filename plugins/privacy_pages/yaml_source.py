"""Read one YAML file into plain data plus the line and column of every value.

PyYAML's safe loader silently keeps the last of two duplicate keys, expands aliases
without limit and reads ``no`` as ``False``. We compose the node graph with the C
parser (fast, marks on every node) and build the data ourselves, so that each of those
becomes a diagnostic pointing at the line a person must edit.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_NODES = 200_000
MAX_DEPTH = 64


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader with YAML 1.2 booleans: ``no``/``off`` stay strings (country code NO)."""


_Loader.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in _BaseLoader.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

_scalar_constructor = yaml.SafeLoader("")
_STR_TAG = "tag:yaml.org,2002:str"
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


class _Builder:
    """Turns a composed node graph into dicts, lists and scalars, recording marks."""

    def __init__(self, max_nodes: int) -> None:
        self.positions = Positions()
        self.max_nodes = max_nodes
        self.count = 0
        self.duplicates: list[_LoadProblem] = []

    def build(self, node: yaml.Node, pointer: str = "", depth: int = 0) -> Any:
        self.count += 1
        mark = node.start_mark
        if self.count > self.max_nodes:
            raise _LoadProblem(
                "YAML003",
                f"document expands to more than {self.max_nodes:,} values "
                "(an alias bomb or a generated file?)",
                mark.line + 1,
                mark.column + 1,
                "remove the repeated aliases or split the file",
            )
        if depth > MAX_DEPTH:
            raise _LoadProblem(
                "YAML003",
                f"values nested deeper than {MAX_DEPTH} levels (a recursive alias?)",
                mark.line + 1,
                mark.column + 1,
                "flatten the structure; a controller file is a few levels deep",
            )
        self.positions.values.setdefault(pointer, (mark.line + 1, mark.column + 1))
        if node.tag not in _STANDARD_TAGS:
            raise _LoadProblem(
                "YAML001",
                f"unsupported tag {node.tag.replace('tag:yaml.org,2002:', '!!')}",
                mark.line + 1,
                mark.column + 1,
                "remove the tag: controller files hold plain values only",
            )
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, f"{pointer}/{index}", depth + 1)
                for index, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, pointer, depth)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:  # most values: skip the generic constructor
            return node.value
        try:
            value = _scalar_constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            mark = node.start_mark
            raise _LoadProblem(
                "YAML001",
                f"cannot read value: {error.problem}",
                mark.line + 1,
                mark.column + 1,
                "quote the value",
            ) from None
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if isinstance(value, bytes):
            return value.decode("latin-1")
        return value

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.update(self._merge_sources(value_node, pointer, depth))
                continue
            mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                raise _LoadProblem(
                    "YAML001",
                    "a mapping key must be a plain word, not a list or a mapping",
                    mark.line + 1,
                    mark.column + 1,
                )
            key = self._scalar(key_node)
            key = key if isinstance(key, str) else str(key)
            if key in seen:
                self.duplicates.append(
                    _LoadProblem(
                        "YAML002",
                        f"duplicate key '{key}' (first at line {seen[key]}): "
                        "YAML keeps only the last value",
                        mark.line + 1,
                        mark.column + 1,
                        "remove one of the two keys or merge their values",
                    )
                )
                continue
            seen[key] = mark.line + 1
            child = f"{pointer}/{escape_pointer_token(key)}"
            self.positions.keys[child] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge_sources(self, node: yaml.Node, pointer: str, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            value = self.build(source, pointer, depth + 1)
            if not isinstance(value, dict):
                mark = source.start_mark
                raise _LoadProblem(
                    "YAML001",
                    "a merge key (<<) must point to a mapping",
                    mark.line + 1,
                    mark.column + 1,
                )
            for key, item in value.items():
                merged.setdefault(key, item)
        return merged


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


def _syntax_problem(error: yaml.YAMLError) -> _LoadProblem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
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
    """Compose and build ``text``; every problem becomes a diagnostic, never an exception."""
    positions = Positions()
    builder = _Builder(max_nodes)
    try:
        try:
            node = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as error:
            raise _syntax_problem(error) from None
        except RecursionError:
            raise _LoadProblem(
                "YAML003", "values nested too deeply to read", 1, 1, "flatten the structure"
            ) from None
        if node is None:
            raise _LoadProblem(
                "YAML005",
                "the file is empty",
                1,
                1,
                "start from an example controller file (README) or delete the file",
            )
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            mark = node.start_mark
            raise _LoadProblem(
                "YAML006",
                f"the top level is {kind}; a controller file is a mapping",
                mark.line + 1,
                mark.column + 1,
                "start the file with keys such as 'id:', 'languages:' and 'controller:'",
            )
        data = builder.build(node)
        positions = builder.positions
    except _LoadProblem as problem:
        return LoadedDocument(path, None, positions, [_diagnostic(path, problem)], text)
    diagnostics = [_diagnostic(path, p) for p in builder.duplicates]
    return LoadedDocument(path, data, positions, diagnostics, text)


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

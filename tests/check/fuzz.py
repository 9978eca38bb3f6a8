"""Seeded mutations of the bundled controllers, for the fuzz test.

Each case is one controller of ``content/`` with one to three line-level mutations: delete
or duplicate a line (or its block), give a value another type, put an explicit tag before
it, shift its indentation, or insert a control character. The same seed gives the same
cases on every machine, so a failure names a case that can be replayed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

CONTENT = Path(__file__).resolve().parents[2] / "content"

VALUES = [
    "42", "-1.5", ".nan", ".inf", "-.inf", "true", "null", "~", "[]", "{}", "[a, b]",
    "{x: 1}", '""', "''", "2020-01-01", "2020-13-45", "P13M", "P0D", "<<", "*nope",
    "&a x", "|", ">-", "'unterminated", '"\\e[31mred\\a"', '"\\x00"', '"\\u202eevil"',
    "0x1F", "1e400", "-0", "yes", "no", "NO", "on", "=", "?", "- item", "a: b: c",
    "{fr: Livrer, vite, en: Deliver}", "http://[::1", "https://x.example:99999/",
]  # fmt: skip
TAGS = [
    "!!int", "!!float", "!!bool", "!!str", "!!null", "!!timestamp", "!!map", "!!seq",
    "!!binary", "!!set", "!!omap", "!!merge", "!!python/object:os.system", "!custom", "!",
]  # fmt: skip
CONTROLS = [chr(c) for c in range(0x20) if c not in (0x0A,)] + [
    "\x7f", "\x85", "\u2028", "\ufeff", "\u202e", "\ud7ff", "\ufffe",
]  # fmt: skip
_VALUE = re.compile(r"^(\s*(?:- )?[\w\-\"']+:\s)(.+)$|^(\s*- )(.+)$")


@dataclass(frozen=True)
class Case:
    name: str  # file name: seed controller, case number, mutations
    text: str


def _block_end(lines: list[str], index: int) -> int:
    """The line after the block that starts at ``index`` (the line and its deeper children)."""
    indent = len(lines[index]) - len(lines[index].lstrip())
    end = index + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    return end


def _mutate(lines: list[str], rng: random.Random) -> str:
    kind = rng.choice(["delete", "duplicate", "retype", "retag", "indent", "control"])
    index = rng.randrange(len(lines))
    line = lines[index]
    if kind == "delete":
        end = _block_end(lines, index) if rng.random() < 0.5 else index + 1
        del lines[index:end]
    elif kind == "duplicate":
        end = _block_end(lines, index) if rng.random() < 0.5 else index + 1
        lines[end:end] = lines[index:end]
    elif kind in ("retype", "retag"):
        match = _VALUE.match(line)
        if not match:
            lines[index] = line + " " + rng.choice(VALUES)
        else:
            head = match.group(1) or match.group(3)
            value = match.group(2) or match.group(4)
            if kind == "retype":
                lines[index] = head + rng.choice(VALUES)
            else:
                lines[index] = head + rng.choice(TAGS) + " " + value
    elif kind == "indent":
        lines[index] = (" " * rng.choice([1, 2, 4]) + line) if rng.random() < 0.6 else line.lstrip()
    else:
        position = rng.randrange(len(line) + 1)
        lines[index] = line[:position] + rng.choice(CONTROLS) + line[position:]
    return f"{kind}@{index + 1}"


def cases(count: int, seed: int) -> list[Case]:
    """``count`` mutated controllers, the same for the same seed."""
    rng = random.Random(seed)
    seeds = [
        (p.stem, p.read_text(encoding="utf-8").splitlines()) for p in sorted(CONTENT.glob("*.yaml"))
    ]
    result = []
    for number in range(count):
        stem, original = seeds[number % len(seeds)]
        lines = list(original)
        steps = [_mutate(lines, rng) for _ in range(rng.choice([1, 1, 2, 3]))]
        if not lines:
            lines = ["id: x"]
        result.append(Case(f"{stem}.{number}.{'+'.join(steps)}.yaml", "\n".join(lines) + "\n"))
    return result


# --- hostile JSON and names for the commands that read reports, runs and ids ----------------

REPORT = Path(__file__).resolve().parents[1] / "data" / "audit" / "golden" / "shop-bad.report.json"
JSON_VALUES: list[object] = [
    None, True, 0, -1, 2**70, 1.5, "", "x", "\x1b]0;t\x07", "../../x", [], [None], {}, {"a": 1},
    [[[[]]]], "9" * 50,
]  # fmt: skip
NAMES = [
    "..", ".", "", "/", "../../victim", "./victim", "/etc/victim", "a/b", "a\\b", "a\x00b",
    "\x1b[31m", "victim\n", " ", "~", "$HOME", "%2e%2e", "é", "x" * 300, "CON", "-", "a:b",
]  # fmt: skip


def _nodes(value: object, pointer: str = "") -> list[tuple[str, object]]:
    """Every (JSON pointer, value) of a document, the root included."""
    found = [(pointer, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _nodes(child, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _nodes(child, f"{pointer}/{index}")
    return found


def _mutate_json(document: object, rng: random.Random) -> tuple[object, str]:
    """One change at a random place: another type, a key removed, an item doubled."""
    import copy

    document = copy.deepcopy(document)
    pointer, _ = rng.choice(_nodes(document)[1:])
    *parents, last = pointer.strip("/").split("/")
    node = document
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]  # type: ignore[index]
    key: object = int(last) if isinstance(node, list) else last
    kind = rng.choice(["retype", "retype", "delete", "double"])
    if kind == "double" and not isinstance(node, list):
        kind = "retype"
    if kind == "delete":
        del node[key]  # type: ignore[arg-type, union-attr]
    elif kind == "double" and isinstance(node, list):
        node.insert(int(key), copy.deepcopy(node[int(key)]))  # type: ignore[call-overload]
    else:
        node[key] = rng.choice(JSON_VALUES)  # type: ignore[index]
    return document, f"{kind}@{pointer}"


RUN_RECORD = {
    "format_version": 1, "run": "20261101T000000Z", "controller": "shop", "file": "shop.yaml",
    "url": "https://shop.test/", "started_at": "2026-11-01T00:00:00Z",
    "finished_at": "2026-11-01T00:01:00Z", "exit_code": 1, "verdict": "fail", "page_visits": 3,
    "counts": {"error": 2, "warning": 1, "info": 0}, "errors_by_family": {"PC": 2},
    "findings": [{"rule": "PC01", "severity": "error", "phase": "before-consent",
                  "subject": "_ga@shop.test"}],
    "previous_run": None, "since_last_audit": {"new": 1, "new_errors": 1, "fixed": 0, "still_open": 1}, "worse": True, "error": None,
    "sites": [{"url": "https://shop.test/", "folder": "shop.test", "verdict": "fail",
               "exit_code": 1, "page_visits": 3, "counts": {"error": 2}, "worse": True,
               "error": None}],
}  # fmt: skip


def report_cases(count: int, seed: int, original: object = None) -> list[Case]:
    """``count`` wrong-typed variants of a real report (or of ``original``), as JSON text,
    the same for one seed."""
    import json

    rng = random.Random(seed)
    if original is None:
        original = json.loads(REPORT.read_text(encoding="utf-8"))
    result = []
    for number in range(count):
        document: object = original
        steps = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            document, step = _mutate_json(document, rng)
            steps.append(step)
        result.append(Case(f"json.{number}.{'+'.join(steps)}", json.dumps(document)))
    return result


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every entry under ``root`` but ``skip``: files by content, links by target."""
    import hashlib

    found = {}
    for path in sorted(root.rglob("*")):
        if any(path == s or s in path.parents for s in skip):
            continue
        kind = "link:" + str(path.readlink()) if path.is_symlink() else "dir"
        if path.is_file() and not path.is_symlink():
            kind = hashlib.sha256(path.read_bytes()).hexdigest()
        found[str(path.relative_to(root))] = kind
    return found


def name_cases(count: int, seed: int) -> list[str]:
    """``count`` hostile ids and file names: the known ones, then random splices of them."""
    rng = random.Random(seed)
    result = list(NAMES[:count])
    while len(result) < count:
        base = list("shop-" + str(rng.randrange(1000)))
        for _ in range(rng.choice([1, 2])):
            base.insert(rng.randrange(len(base) + 1), rng.choice(NAMES))
        result.append("".join(base))
    return result

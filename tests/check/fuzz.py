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

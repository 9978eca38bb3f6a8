"""Reading files the tool did not just write: regular files only, bounded, JSON validated.

A report handed to `audit diff` or `suggest`, the runs a portfolio merges, the records of
earlier runs: each may be hand-edited, truncated, from another version, or hostile. They are
read here, once: a named pipe or a device is refused instead of blocking, a file over the
size limit is refused instead of filling memory, and JSON must follow its shipped schema
(`schemas/`), so the code after it never meets a list where it expects an object. Every
problem is one `InputError` line naming the file and what to give instead.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from privacy_pages.diagnostics import printable
from privacy_pages.model.schema import first_error

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""A report of a thousand pages is a few MiB; anything bigger is not one of ours."""


class InputError(ValueError):
    """A file that cannot be used: one line naming it, what is wrong, what to give instead."""


def read_regular(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file; `InputError` for anything else (never blocks on a FIFO)."""
    shown = printable(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except OSError as error:
        raise InputError(f"{shown}: cannot read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{shown}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{shown}: not a regular file (a pipe, socket or device)")
        if info.st_size > max_bytes:
            raise InputError(
                f"{shown}: {info.st_size / 1_048_576:.1f} MiB, over the "
                f"{max_bytes / 1_048_576:.0f} MiB limit"
            )
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        if error.errno == errno.EISDIR:
            raise InputError(f"{shown}: is a folder, not a file") from None
        raise InputError(f"{shown}: cannot read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputError(f"{shown}: over the {max_bytes / 1_048_576:.0f} MiB limit")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def load_json(
    path: str | Path, schema: str, what: str, hint: str = "", *, definition: str | None = None
) -> dict[str, Any]:
    """A JSON document that follows the shipped ``schema`` (or its ``$defs`` entry
    ``definition``), else `InputError`.

    ``what`` names the document ("an audit report.json"); ``hint`` says what to give instead.
    NaN and Infinity are refused (not JSON), so every number compares and prints.
    """
    shown = printable(str(path))
    tail = f"; {hint}" if hint else ""
    raw = read_regular(path)
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InputError(f"{shown}: not UTF-8 text, so not {what}{tail}") from None
    except (ValueError, RecursionError) as error:
        reason = printable(str(error).splitlines()[0] if str(error) else type(error).__name__)
        raise InputError(f"{shown}: not JSON ({reason}), so not {what}{tail}") from None
    try:
        problem = first_error(data, schema, definition)
    except RecursionError:
        problem = "/: nested too deeply"
    if problem is not None:
        raise InputError(f"{shown}: not {what} ({printable(problem)}){tail}")
    return data

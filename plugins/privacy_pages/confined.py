"""Every path built from a name read in a file or on the web stays under its root.

A controller ``id``, a language, a site's report folder, a run's name, a ``url_prefix``:
each becomes a folder or file name somewhere (`build`, `export`, the MkDocs plugin,
`audit --all`, the portfolio). Whatever validated the name before (the schema, a regex, a
slug function), it goes through `confined_path`, which refuses anything that would leave
the root: ``..``, ``.``, an absolute path, a separator, a NUL, a control character, an empty
name. On a real folder it also refuses a path whose existing part resolves outside the root
(a symlink planted inside it).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import TypeVar

from privacy_pages.diagnostics import printable

P = TypeVar("P", bound=PurePath)

MAX_NAME = 255
"""Bytes in one file name on every common file system."""


class UnsafePath(ValueError):
    """A name that would leave its root; ``str(error)`` is one line naming it."""


def check_name(name: object, what: str = "name") -> str:
    """``name`` when it is one plain file or folder name; `UnsafePath` otherwise."""
    if not isinstance(name, str):
        raise UnsafePath(f"{what} {name!r} is not a text")
    shown = printable(repr(name))
    if name in ("", ".", ".."):
        raise UnsafePath(f"{what} {shown} is not a file or folder name")
    if "/" in name or "\\" in name or (os.sep in name) or (os.altsep and os.altsep in name):
        raise UnsafePath(f"{what} {shown} holds a path separator")
    if "\x00" in name or not name.isprintable():
        raise UnsafePath(f"{what} {shown} holds a NUL or control character")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME:
        raise UnsafePath(f"{what} {shown} is longer than {MAX_NAME} bytes")
    return name


def split_relative(path: str, what: str = "path") -> list[str]:
    """A relative ``a/b/c`` (forward slashes, as in a URL) as checked names; "" gives none."""
    if not isinstance(path, str):
        raise UnsafePath(f"{what} {path!r} is not a text")
    if path.startswith("/") or PurePath(path).is_absolute():
        raise UnsafePath(f"{what} {printable(repr(path))} is absolute; give a relative path")
    return [check_name(part, what) for part in path.split("/") if part]


def confined_path(root: P, *names: str, what: str = "name") -> P:
    """``root / name / ...`` with each name checked by `check_name`.

    ``root`` is a folder (`Path`) or a site-relative URL path (``PurePosixPath("clients")``).
    For a concrete `Path`, the part of the result that exists must also resolve inside the
    resolved root: a symlink inside the root does not lead out of it.
    """
    result = root
    for name in names:
        result = result / check_name(name, what)
    if isinstance(result, Path):
        base = Path(os.path.realpath(root))
        real = Path(os.path.realpath(result))
        if real != base and base not in real.parents:
            raise UnsafePath(f"{what} {printable(str(result))} leads out of {root} (a symlink)")
    return result

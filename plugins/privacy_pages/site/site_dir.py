"""Which folder `privacy-pages build` may replace: a new one, an empty one, or its own.

The build replaces its output folder whole. Pointed at the project (``--site-dir .``) or at
the controller files (``--site-dir content``) that would delete them, so a folder is
replaced only when a previous build left its marker file in it, in that very folder:
a marker in a parent folder does not count.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = ".privacy-pages-site"
MARKER_TEXT = (
    "Written by privacy-pages build. This folder is replaced whole by the next build;\n"
    "do not keep other files in it.\n"
)


class UnsafeSiteDir(Exception):
    """The folder holds files the build did not write; ``str(error)`` is one line."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_site_dir(site_dir: Path, *, keep: tuple[Path, ...] = ()) -> None:
    """Raise `UnsafeSiteDir` unless the build may replace ``site_dir``.

    ``keep`` lists paths the site folder must never contain (the content folder, the
    MkDocs configuration); the working folder is always among them.
    """
    target = Path(os.path.abspath(site_dir))
    resolved = target.resolve()
    for kept in (Path.cwd(), *keep):
        kept_resolved = Path(os.path.abspath(kept)).resolve()
        if _inside(kept_resolved, resolved):
            raise UnsafeSiteDir(
                f"{site_dir}: the site folder would contain {kept}, which the build replaces "
                "whole; choose a folder of its own, such as site/"
            )
    if not os.path.lexists(target):
        return
    if not resolved.is_dir():
        raise UnsafeSiteDir(f"{site_dir}: exists and is not a folder; choose another --site-dir")
    marker = resolved / MARKER
    if marker.is_file() and not marker.is_symlink():
        return
    if not any(resolved.iterdir()):
        return
    raise UnsafeSiteDir(
        f"{site_dir}: this folder holds files that no privacy-pages build wrote (no {MARKER} "
        "in it); the build replaces its site folder whole, so give a new or empty folder, "
        "or empty this one yourself"
    )


def mark_site_dir(folder: Path) -> None:
    """Leave the marker that lets the next build replace ``folder``."""
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")

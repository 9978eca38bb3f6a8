"""privacy-pages: declare, check, render and audit a company's privacy information."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

_PACKAGE = Path(__file__).resolve().parent


def shipped(*parts: str) -> Path:
    """A file or folder shipped inside the wheel (`schemas/`, `site_overrides/`), or at the
    top of a source checkout, where the wheel's build takes them from."""
    packaged = _PACKAGE.joinpath(*parts)
    if packaged.exists():
        return packaged
    return _PACKAGE.parents[1].joinpath(*parts)

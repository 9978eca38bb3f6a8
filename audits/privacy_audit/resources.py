"""Files shipped inside the package beside its code (page scripts, phrase tables), read with
importlib.resources: they are in the wheel, never copied out of it."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def package_text(package: str, name: str) -> str:
    """The text of the file ``name`` (a path inside ``package``), as shipped."""
    return files(package).joinpath(name).read_text(encoding="utf-8")


def page_script(package: str, name: str) -> str:
    """A JavaScript file of ``package`` for ``evaluate`` or an init script, without the
    file's final newline."""
    return package_text(package, name).removesuffix("\n")

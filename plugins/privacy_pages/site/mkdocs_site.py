"""How the generated pages sit inside a host MkDocs site, without changing the host's site.

Pure helpers of the plugin: the per-controller navigation (the host's own navigation, tabs
included, with the controller's pages as one section where the index of controllers is),
and a per-page read-only view of the config that gives Material the page's language and
language switcher without writing into ``config.theme`` or ``config.extra``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list",)
"""Headings carry their anchors as ``{#id}`` (MkDocs always loads toc and tables)."""


def missing_markdown_extensions(configured: Sequence[object]) -> list[str]:
    """The extensions the pages need that ``configured`` (mkdocs.yml's list) lacks."""
    names = {str(getattr(e, "__module__", e)).rsplit(".", 1)[-1] for e in configured}
    names |= {str(e).rsplit(".", 1)[-1] for e in configured if isinstance(e, str)}
    return [name for name in REQUIRED_MARKDOWN_EXTENSIONS if name not in names]


def loads_google_fonts(config: MkDocsConfig) -> bool:
    """Material fetches its fonts from fonts.googleapis.com unless ``theme.font`` is false
    or its privacy plugin downloads them at build time."""
    theme = config.theme
    if getattr(theme, "name", None) != "material" or theme.get("font") is False:
        return False
    return not ({"privacy", "material/privacy"} & set(config.plugins))


def _path_to(items: Sequence[Any], target: Page) -> list[Section] | None:
    """The sections from the top of ``items`` down to the one holding ``target``."""
    for item in items:
        if item is target:
            return []
        if isinstance(item, Section):
            below = _path_to(item.children, target)
            if below is not None:
                return [item, *below]
    return None


def controller_nav(
    host: Navigation,
    title: str,
    members: list[Page],
    index_page: Page | None,
    index_title: str,
) -> Navigation:
    """The host navigation plus one section ``title`` holding ``members``.

    The section goes beside the index of controllers when the host's navigation holds it
    (its ancestors are copied, never changed: every other page keeps the host's own
    navigation); otherwise at the end, with a link to the index. Previous/next links run
    within the controller's pages.
    """
    children: list[Any] = list(members)
    path = _path_to(host.items, index_page) if index_page is not None else None
    if path is None and index_page is not None:
        children.insert(0, Link(index_title, index_page.url))
    section = Section(title, children)
    for position, page in enumerate(members):
        page.parent = section
        page.previous_page = members[position - 1] if position else None
        page.next_page = members[position + 1] if position + 1 < len(members) else None
    items = list(host.items)
    if not path:  # not in the navigation, or at its top level
        if path is None:
            items.append(section)
        else:
            items.insert(items.index(index_page) + 1, section)
        section.parent = None
    else:
        parent_copy: Section | None = None
        level = items
        for original in path:
            clone = copy.copy(original)
            clone.children = list(original.children)
            clone.parent = parent_copy
            level[level.index(original)] = clone
            parent_copy, level = clone, clone.children
        assert parent_copy is not None
        level.insert(level.index(index_page) + 1, section)
        section.parent = parent_copy
    nav = Navigation(items, members)
    nav.homepage = host.homepage
    return nav


class _Overlay:
    """An object read like ``base`` except for the attributes/keys in ``values``."""

    def __init__(self, base: Any, values: Mapping[str, Any]) -> None:
        self._base = base
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        return getattr(self._base, name)

    def __getitem__(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        return key in self._values or key in self._base

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def __iter__(self) -> Any:
        return iter(self._base)


def page_config(config: MkDocsConfig, language: str, alternate: list[dict[str, str]]) -> Any:
    """``config`` as one generated page sees it: its language and its language switcher."""
    theme = _Overlay(config.theme, {"language": language})
    extra = {**config.extra, "alternate": alternate}
    return _Overlay(config, {"theme": theme, "extra": extra})

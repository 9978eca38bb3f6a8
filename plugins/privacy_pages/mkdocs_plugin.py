"""The MkDocs plugin `privacy-pages`: a thin adapter over `privacy_pages.render`.

Each event is a few lines: load and render in `on_files` (every language in one build,
nothing written into docs/; Markdown gets only the headings, the escaped HTML bodies are
spliced back in `on_page_content`), give each controller-language its own small navigation
in `on_nav`/`on_page_context` (Material embeds the navigation in every page, so one global
navigation would make large sites quadratic), and switch the page language for Material's
language switcher, ``<html lang>`` and ``hreflang`` alternates.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .render import Layout, RenderedPage, render_index
from .render.exports import controller_json, tcf_json
from .render.formatting import language_autonym
from .render.i18n import translate
from .render.skeleton import splice_blocks, split_blocks
from .render.sources import LoadedSite, load_site
from .site_dir import mark_site_dir

log = logging.getLogger("mkdocs.plugins.privacy-pages")


class PrivacyPagesConfig(Config):
    enabled = c.Type(bool, default=True)
    """Generate the privacy pages; false builds the site without them."""
    content_dir = c.Type(str, default="content")
    """Folder of controller YAML files, relative to mkdocs.yml."""
    url_prefix = c.Type(str, default="clients")
    """URL folder the pages are generated under (``clients/<id>/<lang>/...``)."""
    languages = c.ListOfItems(c.Type(str), default=[])
    """Only build these languages (empty: every language each controller declares)."""
    index = c.Type(bool, default=True)
    """Generate the index of controllers at ``<url_prefix>/``."""
    index_language = c.Optional(c.Type(str))
    """Language of the index page; defaults to the theme's language."""
    exports = c.Type(bool, default=True)
    """Write controller.json and tcf-disclosures.json beside each controller's pages."""


@dataclass
class _Generated:
    """What the plugin generated, to find its pages again in later events."""

    pages: dict[str, RenderedPage] = field(default_factory=dict)
    navs: dict[tuple[str, str], Navigation] = field(default_factory=dict)
    alternates: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    blocks: dict[str, list[str]] = field(default_factory=dict)
    index_src: str | None = None


class PrivacyPagesPlugin(BasePlugin[PrivacyPagesConfig]):
    def __init__(self) -> None:
        self.site: LoadedSite | None = None
        self.generated = _Generated()
        self._saved: tuple[Any, Any] | None = None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.config.enabled:
            server.watch(
                str(Path(config.config_file_path or ".").resolve().parent / self.config.content_dir)
            )
        return server

    def on_post_build(self, config: MkDocsConfig) -> None:
        """A site built by `mkdocs build` is ours too: `privacy-pages build` may replace it."""
        if self.config.enabled:
            mark_site_dir(Path(config.site_dir))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        layout = Layout(self.config.url_prefix, config.use_directory_urls)
        self.site = load_site(base / self.config.content_dir, layout, self.config.languages or None)
        if self.site.errors:
            raise PluginError(self.site.error_report())
        index_lang = self.config.index_language or config.theme.get("language") or "en"
        self.generated = _Generated(
            pages={page.src_path: page for page in self.site.pages},
            alternates=_alternates(self.site.pages),
            index_src=layout.index_src_path() if self.config.index else None,
        )
        for src_uri, content in _site_files(self.site, layout, self.config, index_lang):
            if src_uri in self.generated.pages:
                content, self.generated.blocks[src_uri] = split_blocks(content)
            self._add(files, config, src_uri, content)
        log.info(
            "privacy-pages: %d pages for %d controllers",
            len(self.site.pages),
            len(self.site.controllers),
        )
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or not self.generated.pages:
            return None
        index_page = files.get_file_from_path(self.generated.index_src or "")
        self.generated.navs = _small_navs(self.generated.pages, files, nav, index_page)
        return _without(nav, set(self.generated.pages))

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        blocks = self.generated.blocks.get(page.file.src_uri)
        return splice_blocks(html, blocks) if blocks is not None else None

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        rendered = self.generated.pages.get(page.file.src_uri)
        if rendered is None:
            return None
        context["nav"] = self.generated.navs[(rendered.controller_id, rendered.lang)]
        # Material reads the page language and the language switcher from the config;
        # pages render one at a time, so each gets its own and on_post_page restores them.
        self._saved = (config.theme.get("language"), config.extra.get("alternate"))
        config.theme["language"] = rendered.lang
        config.extra["alternate"] = self.generated.alternates[page.file.src_uri]
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if self._saved is not None:
            config.theme["language"], alternate = self._saved
            if alternate is None:
                config.extra.pop("alternate", None)
            else:
                config.extra["alternate"] = alternate
            self._saved = None
        return None

    def _add(self, files: Files, config: MkDocsConfig, src_uri: str, content: str) -> None:
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(
                f"privacy-pages: docs/{src_uri} already exists and would be replaced by a "
                f"generated page; remove it or set another url_prefix in mkdocs.yml"
            )
        files.append(File.generated(config, src_uri, content=content))


def _site_files(
    site: LoadedSite, layout: Layout, options: PrivacyPagesConfig, index_lang: str
) -> list[tuple[str, str]]:
    """Every generated file as (path in the site, content): pages, exports, the index."""
    generated = [(page.src_path, page.markdown) for page in site.pages]
    if options.exports:
        for data in site.controllers:
            generated.append(
                (layout.export_path(data["id"], "controller_json"), controller_json(data))
            )
            generated.append((layout.export_path(data["id"], "tcf_json"), tcf_json(data)))
    if options.index and site.controllers:
        generated.append(
            (
                layout.index_src_path(),
                render_index(site.controllers, index_lang, layout, options.languages or None),
            )
        )
    return generated


def _alternates(pages: list[RenderedPage]) -> dict[str, list[dict[str, str]]]:
    """For each page, the same page in every language of its controller (Material's format)."""
    by_slot: dict[tuple[str, str], list[RenderedPage]] = {}
    for page in pages:
        by_slot.setdefault((page.controller_id, page.kind), []).append(page)
    result: dict[str, list[dict[str, str]]] = {}
    for siblings in by_slot.values():
        links = [
            {"name": language_autonym(p.lang), "link": p.url or "./", "lang": p.lang}
            for p in siblings
        ]
        for page in siblings:
            result[page.src_path] = links
    return result


def _small_navs(
    pages: dict[str, RenderedPage], files: Files, nav: Navigation, index_page: File | None
) -> dict[tuple[str, str], Navigation]:
    """One navigation per controller and language: its four pages and a link to the index."""
    groups: dict[tuple[str, str], list[Page]] = {}
    for src, rendered in pages.items():
        file = files.get_file_from_path(src)
        if file is not None and file.page is not None:
            groups.setdefault((rendered.controller_id, rendered.lang), []).append(file.page)
    navs: dict[tuple[str, str], Navigation] = {}
    for key, members in groups.items():
        for position, page in enumerate(members):
            page.parent = None
            page.previous_page = members[position - 1] if position else None
            page.next_page = members[position + 1] if position + 1 < len(members) else None
        items: list[Any] = list(members)
        if index_page is not None:
            items.insert(0, Link(translate("page.index", key[1]), index_page.url))
        small = Navigation(items, members)
        small.homepage = nav.homepage
        navs[key] = small
    return navs


def _without(nav: Navigation, generated: set[str]) -> Navigation:
    """The site navigation minus the generated controller pages (the index stays)."""

    def keep(items: list[Any]) -> list[Any]:
        kept = []
        for item in items:
            if isinstance(item, Page) and item.file.src_uri in generated:
                continue
            if isinstance(item, Section):
                item.children = keep(item.children)
                if not item.children:
                    continue
            kept.append(item)
        return kept

    items = keep(copy.copy(nav.items))
    pages = [p for p in nav.pages if p.file.src_uri not in generated]
    for position, page in enumerate(pages):
        page.previous_page = pages[position - 1] if position else None
        page.next_page = pages[position + 1] if position + 1 < len(pages) else None
    trimmed = Navigation(items, pages)
    trimmed.homepage = nav.homepage
    return trimmed

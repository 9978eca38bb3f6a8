"""The MkDocs plugin `privacy-pages`: a thin adapter over `privacy_pages.render`.

Each event is a few lines: load every controller through the publish gate and render it in
`on_files` (every language in one build, nothing written into docs/; Markdown gets only the
headings, the escaped HTML bodies are spliced back in `on_page_content`). The generated
pages stay out of the host site's navigation and search; each controller-language gets the
host navigation plus its own section (`on_nav`/`on_page_context`: Material embeds the
navigation in every page, so one global navigation would make large sites quadratic), and a
per-page view of the config gives Material the page language for its switcher,
``<html lang>`` and ``hreflang``. Titles are escaped by the plugin, not by a theme
override a site's own ``custom_dir`` could replace.
"""

from __future__ import annotations

import datetime
import html
import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from privacy_pages.render import Layout, RenderedPage, plain_name, render_index
from privacy_pages.render.draft import with_noindex
from privacy_pages.render.exports import controller_json, published_gaps, tcf_json
from privacy_pages.render.formatting import language_autonym
from privacy_pages.render.i18n import translate
from privacy_pages.render.skeleton import splice_blocks, split_blocks
from privacy_pages.rules.sources import parse_day
from privacy_pages.site import publish
from privacy_pages.site.loading import LoadedSite, load_site
from privacy_pages.site.mkdocs_site import controller_nav, missing_markdown_extensions, page_config
from privacy_pages.site.site_dir import mark_site_dir

log = logging.getLogger("mkdocs.plugins.privacy-pages")
STYLESHEET = "assets/privacy-pages/privacy-pages.css"
"""The pages' stylesheet (screen and print), added to every site the plugin runs in."""
_INCOMPATIBLE_PLUGINS = {
    "i18n": "mkdocs-static-i18n rebuilds the site once per language and would translate the "
    "generated pages a second time; privacy-pages already builds every language of each "
    "controller in one pass. Build the client pages in their own mkdocs.yml (or with "
    "`privacy-pages build`) and link to them from the i18n site",
}


def _as_of(value: str | None) -> datetime.date | None:
    """The plugin's ``as_of`` as a day; a bad date stops the build with one line."""
    if value is None:
        return None
    try:
        return parse_day(str(value))
    except ValueError as error:
        raise PluginError(f"privacy-pages: as_of: {error}") from None


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
    draft = c.Type(bool, default=False)
    """Publish controllers with error-level findings as marked, noindex drafts."""
    search = c.Type(bool, default=False)
    """Include the generated pages in the site search (off: client legal text stays out)."""
    add_markdown_extensions = c.Type(bool, default=True)
    """Add the Markdown extensions the pages need (attr_list) when the site lacks them."""
    as_of = c.Optional(c.Type(str))
    """Check and write the pages for the law in force on this day (YYYY-MM-DD); default today."""


@dataclass
class _Generated:
    """What the plugin generated, to find its pages again in later events."""

    pages: dict[str, RenderedPage] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # HTML-escaped
    navs: dict[tuple[str, str], Navigation] = field(default_factory=dict)
    alternates: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    blocks: dict[str, list[str]] = field(default_factory=dict)
    drafts: set[str] = field(default_factory=set)
    index_src: str | None = None


class PrivacyPagesPlugin(BasePlugin[PrivacyPagesConfig]):
    def __init__(self) -> None:
        self.site: LoadedSite | None = None
        self.generated = _Generated()
        self.serving = False

    as_of: datetime.date | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        for name, reason in _INCOMPATIBLE_PLUGINS.items():
            if name in config.plugins:
                raise PluginError(f"privacy-pages cannot run beside the '{name}' plugin: {reason}.")
        missing = missing_markdown_extensions(config.markdown_extensions)
        if missing and not self.config.add_markdown_extensions:
            raise PluginError(
                "privacy-pages needs the Markdown extension(s) "
                f"{', '.join(missing)}: add them under markdown_extensions in mkdocs.yml, "
                "or set add_markdown_extensions: true for the plugin"
            )
        if missing:
            config.markdown_extensions.extend(missing)
            log.info("privacy-pages: added Markdown extension(s) %s", ", ".join(missing))
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        self.as_of = _as_of(self.config.as_of)
        return config

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
        drafts = self.config.draft or self.serving
        self.site = load_site(
            base / self.config.content_dir,
            layout,
            self.config.languages or None,
            drafts=drafts,
            as_of=self.as_of,
        )
        self._report(self.site)
        index_lang = self.config.index_language or config.theme.get("language") or "en"
        self.generated = _Generated(
            pages={page.src_path: page for page in self.site.pages},
            names={
                (data["id"], lang): html.escape(plain_name(data, lang))
                for data in self.site.controllers
                for lang in data.get("languages") or ["en"]
            },
            alternates=_alternates(self.site.pages),
            drafts={p.src_path for p in self.site.pages if p.controller_id in self.site.drafts},
            index_src=layout.index_src_path() if self.config.index else None,
        )
        # Generated pages never join the host's navigation (each controller gets its own
        # section in on_nav); the index joins it only when the host lets MkDocs build it.
        index_inclusion = (
            InclusionLevel.UNDEFINED if config.nav is None else InclusionLevel.NOT_IN_NAV
        )
        stylesheet = resources.files("privacy_pages.render").joinpath("assets", "privacy-pages.css")
        self._add(files, config, STYLESHEET, stylesheet.read_text(encoding="utf-8"), None)
        for src_uri, content in _site_files(self.site, layout, self.config, index_lang, base):
            inclusion = (
                index_inclusion
                if src_uri == self.generated.index_src
                else InclusionLevel.NOT_IN_NAV
            )
            if src_uri in self.generated.pages:
                content, self.generated.blocks[src_uri] = split_blocks(content)
            self._add(files, config, src_uri, content, inclusion)
        log.info(
            "privacy-pages: %d pages for %d controllers",
            len(self.site.pages),
            len(self.site.controllers),
        )
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or not self.generated.pages:
            return None
        index_file = files.get_file_from_path(self.generated.index_src or "")
        index_page = index_file.page if index_file is not None else None
        groups: dict[tuple[str, str], list[Page]] = {}
        for src, rendered in self.generated.pages.items():
            file = files.get_file_from_path(src)
            if file is not None and file.page is not None:
                groups.setdefault((rendered.controller_id, rendered.lang), []).append(file.page)
        self.generated.navs = {
            key: controller_nav(
                nav, self.generated.names[key], members, index_page, translate("page.index", key[1])
            )
            for key, members in groups.items()
        }
        return None

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        rendered = self.generated.pages.get(page.file.src_uri)
        if rendered is None and page.file.src_uri != self.generated.index_src:
            return None
        if rendered is not None:
            # Escaped here, so that no theme (a site's own custom_dir included) can print a
            # client's name as markup: Material prints page.meta.title as is.
            page.meta["title"] = html.escape(rendered.title, quote=True)
        if not self.config.search:
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return None

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
        context["config"] = page_config(
            config, rendered.lang, self.generated.alternates[page.file.src_uri]
        )
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.file.src_uri in self.generated.drafts:
            return with_noindex(output)
        return None

    def _report(self, site: LoadedSite) -> None:
        """Stop on blocking errors (log them while serving); say what was held back."""
        if site.errors or site.missing_folder:
            if not self.serving:
                raise PluginError(site.error_report())
            log.error(site.error_report())
        if site.skipped:
            files = len({d.path for d in site.skipped})
            log.warning(
                publish.report(
                    f"privacy-pages: {files} controller file(s) left out of this draft build",
                    site.skipped,
                )
            )
        if site.drafts:
            log.info(
                "privacy-pages: published as drafts (marked, noindex), `privacy-pages check` "
                "lists their gaps: %s",
                ", ".join(sorted(site.drafts)),
            )

    def _add(
        self,
        files: Files,
        config: MkDocsConfig,
        src_uri: str,
        content: str,
        inclusion: InclusionLevel | None,
    ) -> None:
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(
                f"privacy-pages: docs/{src_uri} already exists and would be replaced by a "
                f"generated page; remove it or set another url_prefix in mkdocs.yml"
            )
        if inclusion is None:
            files.append(File.generated(config, src_uri, content=content))
        else:
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))


def _site_files(
    site: LoadedSite, layout: Layout, options: PrivacyPagesConfig, index_lang: str, root: Path
) -> list[tuple[str, str]]:
    """Every generated file as (path in the site, content): pages, exports, the index.

    A draft's exports carry its gaps, each file named relative to ``root`` (the project)."""
    generated = [(page.src_path, page.markdown) for page in site.pages]
    if options.exports:
        for data in site.controllers:
            gaps = published_gaps(site.drafts.get(data["id"], ()), root)
            generated.append(
                (layout.export_path(data["id"], "controller_json"), controller_json(data, gaps))
            )
            generated.append((layout.export_path(data["id"], "tcf_json"), tcf_json(data, gaps)))
    if options.index and site.controllers:
        index = render_index(
            site.controllers, index_lang, layout, options.languages or None, drafts=site.drafts
        )
        generated.append((layout.index_src_path(), index))
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

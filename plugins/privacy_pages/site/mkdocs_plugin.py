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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from privacy_pages.check import CheckOptions
from privacy_pages.config import ConfigError, project_config
from privacy_pages.confined import UnsafePath
from privacy_pages.i18n import translate
from privacy_pages.model.content import CONTROLLER_SUFFIXES
from privacy_pages.render import Layout, RenderedPage, plain_name
from privacy_pages.render.draft import with_noindex
from privacy_pages.render.skeleton import splice_blocks, split_blocks
from privacy_pages.rules.sources import parse_day
from privacy_pages.site import publish
from privacy_pages.site.files import alternates, site_files, stylesheet
from privacy_pages.site.loading import LoadedSite, load_site
from privacy_pages.site.mkdocs_site import (
    controller_nav,
    loads_google_fonts,
    missing_markdown_extensions,
    page_config,
)
from privacy_pages.site.site_dir import SITE_FOLDER

log = logging.getLogger("mkdocs.plugins.privacy-pages")
_URL_PART = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
STYLESHEET = "assets/privacy-pages/privacy-pages.css"
"""The pages' stylesheet (screen and print), added to every site the plugin runs in."""
OTHER_BUILDERS = (
    "privacy-pages: this plugin runs only in MkDocs 1.x; builders that do not run MkDocs "
    "plugins (Zensical, MkDocs 2) skip it silently and build no client pages: for them, "
    "write the pages as files with `privacy-pages generate --into docs`"
)
_told_other_builders = False
GOOGLE_FONTS = (
    "privacy-pages: this site loads its fonts from Google (theme.font is not false and "
    "Material's privacy plugin is off): every page, the client pages included, sends each "
    "visitor's address to Google, while those pages state the site requests no other host; "
    "set `font: false` under theme, or add Material's `privacy` plugin to serve the fonts "
    "from the site"
)
_INCOMPATIBLE_PLUGINS = {
    "i18n": "mkdocs-static-i18n rebuilds the site once per language and would translate the "
    "generated pages a second time; privacy-pages already builds every language of each "
    "controller in one pass. Build the client pages in their own mkdocs.yml (or with "
    "`privacy-pages build`) and link to them from the i18n site",
}


class _UrlPrefix(c.Type[str]):
    """A folder of the site's URLs: words, digits, ``-``, ``_`` and ``/`` between folders."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value).strip()
        parts = text.strip("/").split("/") if text.strip("/") else []
        if any(not _URL_PART.fullmatch(part) or part in (".", "..") for part in parts):
            raise ValidationError(
                f"{text!r} is not a folder of the site's URLs: use letters, digits, '-' and "
                "'_', with '/' between folders (e.g. clients, legal/clients; '' for the top "
                "of the site)"
            )
        return "/".join(parts)


class _Language(c.Type[str]):
    """A language code as the controller files write them (``fr``, ``en``, ``pt-BR``)."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        code = super().run_validation(value).strip()
        if not _is_language(code):
            raise ValidationError(
                f"{code!r} is not a language code: use the codes the controller files "
                "declare under `languages`, such as fr, en, de"
            )
        return code


def _is_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return bool(code)


class _Day(c.Type[str]):
    """A day as YYYY-MM-DD: the law the checks and the pages follow."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(str(value) if value is not None else value).strip()
        try:
            parse_day(text)
        except ValueError as error:
            raise ValidationError(f"{error}; write the day as YYYY-MM-DD") from None
        return text


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
    """Generate the privacy pages; false builds the site without them (every event stops)."""
    content_dir = c.Type(str, default="content")
    """Folder of controller YAML files, relative to mkdocs.yml."""
    url_prefix = _UrlPrefix(default="clients")
    """URL folder the pages are generated under (``clients/<id>/<lang>/...``; '' the top)."""
    languages = c.ListOfItems(_Language(), default=[])
    """Only build these languages (empty: every language each controller declares)."""
    index = c.Type(bool, default=True)
    """Generate the index of controllers at ``<url_prefix>/``."""
    index_language = c.Optional(_Language())
    """Language of the index page; defaults to the theme's language."""
    config_file = c.Optional(c.Type(str))
    """The project configuration (rules, severities, options: ``.privacy-pages.yaml``);
    default: the one beside mkdocs.yml or in a parent folder."""
    exports = c.Type(bool, default=True)
    """Write controller.json and tcf-disclosures.json beside each controller's pages."""
    draft = c.Type(bool, default=False)
    """Publish controllers with error-level findings as marked, noindex drafts."""
    search = c.Type(bool, default=False)
    """Include the generated pages in the site search (off: client legal text stays out)."""
    add_markdown_extensions = c.Type(bool, default=True)
    """Add the Markdown extensions the pages need (attr_list) when the site lacks them."""
    as_of = c.Optional(_Day())
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
    """Every event starts with the ``enabled`` guard and states its priority and why
    (MkDocs runs higher priorities first; 0 is the default)."""

    def __init__(self) -> None:
        self.site: LoadedSite | None = None
        self.generated = _Generated()
        self.serving = False
        self.check_options = CheckOptions()

    @event_priority(0)  # only notes the command
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    # After plugins that add Markdown extensions or stylesheets of their own, so that only
    # what is still missing is added.
    @event_priority(-10)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        _tell_other_builders()
        for name, reason in _INCOMPATIBLE_PLUGINS.items():
            if name in config.plugins:
                raise PluginError(f"privacy-pages cannot run beside the '{name}' plugin: {reason}.")
        base = Path(config.config_file_path or ".").resolve().parent
        explicit = self.config.config_file
        try:
            project = project_config(base, base / explicit if explicit else None)
        except ConfigError as error:
            raise ConfigurationError(f"privacy-pages: {error}") from None
        self.check_options = project.check_options(as_of=_as_of(self.config.as_of))
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
        if loads_google_fonts(config):
            log.warning(GOOGLE_FONTS)
        return config

    @event_priority(0)  # adds one folder to watch; order does not matter
    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if not self.config.enabled:
            return server
        server.watch(
            str(Path(config.config_file_path or ".").resolve().parent / self.config.content_dir)
        )
        return server

    @event_priority(0)  # writes a marker file; order does not matter
    def on_post_build(self, config: MkDocsConfig) -> None:
        """A site built by `mkdocs build` is ours too: `privacy-pages build` may replace it."""
        if not self.config.enabled:
            return
        SITE_FOLDER.mark(Path(config.site_dir))

    # After plugins that add files of their own (a blog's posts...), so that a clash with a
    # generated page is found and named instead of one silently replacing the other.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        layout = Layout(self.config.url_prefix, config.use_directory_urls)
        drafts = self.config.draft or self.serving
        content_dir = base / self.config.content_dir
        _leave_out_controller_files(files, content_dir)
        try:
            self.site = load_site(
                content_dir,
                layout,
                self.config.languages or None,
                drafts=drafts,
                options=self.check_options,
            )
        except UnsafePath as error:
            raise PluginError(f"privacy-pages: {error}") from None
        self._report(self.site)
        index_lang = self.config.index_language or config.theme.get("language") or "en"
        self.generated = _Generated(
            pages={page.src_path: page for page in self.site.pages},
            names={
                (model.id, lang): html.escape(plain_name(model, lang))
                for model in self.site.controllers
                for lang in model.languages
            },
            alternates=alternates(self.site.pages),
            drafts={p.src_path for p in self.site.pages if p.controller_id in self.site.drafts},
            index_src=layout.index_src_path() if self.config.index else None,
        )
        # Generated pages never join the host's navigation (each controller gets its own
        # section in on_nav); the index joins it only when the host lets MkDocs build it.
        index_inclusion = (
            InclusionLevel.UNDEFINED if config.nav is None else InclusionLevel.NOT_IN_NAV
        )
        taken = {file.dest_uri: file for file in files}
        self._add(files, config, STYLESHEET, stylesheet(), None, taken)
        generated = site_files(
            self.site,
            layout,
            exports=self.config.exports,
            index=self.config.index,
            index_lang=index_lang,
            languages=self.config.languages or None,
            root=base,
        )
        for src_uri, content in generated:
            inclusion = (
                index_inclusion
                if src_uri == self.generated.index_src
                else InclusionLevel.NOT_IN_NAV
            )
            if src_uri in self.generated.pages:
                content, self.generated.blocks[src_uri] = split_blocks(content)
            self._add(files, config, src_uri, content, inclusion, taken)
        log.info(
            "privacy-pages: %d pages for %d controllers",
            len(self.site.pages),
            len(self.site.controllers),
        )
        return files

    # After plugins that rearrange the navigation (awesome-pages...): each controller's
    # section is built from the navigation the host ends with.
    @event_priority(-50)
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

    # Before other plugins read the page's metadata (its title, the search exclusion).
    @event_priority(50)
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
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

    # Before other plugins read the page's HTML: the escaped bodies are spliced in first.
    @event_priority(50)
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        blocks = self.generated.blocks.get(page.file.src_uri)
        return splice_blocks(html, blocks) if blocks is not None else None

    # Last: the page's own navigation and language switcher must not be replaced by another
    # plugin's context.
    @event_priority(-50)
    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if not self.config.enabled:
            return None
        rendered = self.generated.pages.get(page.file.src_uri)
        if rendered is None:
            return None
        context["nav"] = self.generated.navs[(rendered.controller_id, rendered.lang)]
        context["config"] = page_config(
            config, rendered.lang, self.generated.alternates[page.file.src_uri]
        )
        return context

    # Last: the noindex meta goes into the final HTML, after any plugin that rewrites it.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
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
        taken: dict[str, File],
    ) -> None:
        if inclusion is None:
            file = File.generated(config, src_uri, content=content)
        else:
            file = File.generated(config, src_uri, content=content, inclusion=inclusion)
        own = taken.get(file.dest_uri) or files.get_file_from_path(src_uri)
        if own is not None:
            raise PluginError(
                f"privacy-pages: docs/{own.src_uri} of the site and the generated "
                f"{src_uri} would both be {file.dest_uri}; rename or remove the site's "
                "file, or set another url_prefix in mkdocs.yml"
            )
        taken[file.dest_uri] = file
        files.append(file)


def _leave_out_controller_files(files: Files, content_dir: Path) -> None:
    """Controller files kept inside docs_dir are data, never published as static files."""
    folder = content_dir.resolve()
    for file in list(files):
        source = Path(file.abs_src_path or "")
        if source.suffix in CONTROLLER_SUFFIXES and folder in source.resolve().parents:
            files.remove(file)


def _tell_other_builders() -> None:
    """Say once per process (not at every rebuild of `mkdocs serve`) what Zensical and
    MkDocs 2 users must do: those builders ignore the plugin without a word."""
    global _told_other_builders
    if not _told_other_builders:
        _told_other_builders = True
        log.info(OTHER_BUILDERS)

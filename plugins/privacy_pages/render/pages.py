"""Controller + language -> the Markdown of each page (bodies are escaped HTML blocks).

Nothing here knows MkDocs: the plugin and `privacy-pages export` both call `render_pages`.
The model is the one the publish gate checked (`Controller`), read as it is: a page never
rebuilds it from plain data. Plain data is accepted at the edge (`Controller.of`).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup, escape

from privacy_pages.i18n import catalogue, translate
from privacy_pages.model import (
    Activity,
    Controller,
    ControllerLike,
    CookieCategory,
    Stated,
    Tracker,
)
from privacy_pages.model.text import resolve_text
from privacy_pages.render import formatting
from privacy_pages.render.context import PageText
from privacy_pages.render.escaping import safe_url
from privacy_pages.render.layout import EXPORT_FILES, PAGE_KINDS, Layout
from privacy_pages.render.placement import place_extra_sections
from privacy_pages.rules.sources import Law

_TITLE_KEYS = {
    "landing": "page.landing",
    "privacy": "page.privacy",
    "cookies": "page.cookies",
    "legal_notice": "page.legal_notice",
}
_NOTICE_SLOT = "@@FALLBACK_NOTICE@@"
# The document each page shows: a page is built only when the file covers its document.
_KIND_DOCUMENTS = {
    "privacy": "privacy_notice",
    "cookies": "cookie_policy",
    "legal_notice": "legal_notice",
}


def page_kinds(controller: ControllerLike) -> list[str]:
    """The pages of a controller: the landing page and each document the file covers."""
    model = Controller.of(controller)
    return [k for k in PAGE_KINDS if k not in _KIND_DOCUMENTS or model.covers(_KIND_DOCUMENTS[k])]


@dataclass(frozen=True)
class RenderedPage:
    """One page of one controller in one language."""

    controller_id: str
    lang: str
    kind: str
    title: str
    markdown: str
    src_path: str
    url: str
    fallback_languages: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    href: str


class _StrictMappingEnvironment(jinja2.Environment):
    """A Jinja environment where ``x.key`` on a mapping never falls back to an attribute.

    Plain Jinja reads ``d.copy`` or ``d["items"]`` of a dict without that key as the dict's
    method, and a page then prints ``<built-in method copy of dict object at 0x…>``. A
    field the file does not have must be undefined (nothing printed), whatever its name.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            return self._from_mapping(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Mapping):
            return self._from_mapping(obj, argument)
        return super().getitem(obj, argument)

    def _from_mapping(self, obj: Mapping[Any, Any], key: Any) -> Any:
        try:
            return obj[key]
        except (KeyError, TypeError):
            return self.undefined(obj=obj, name=key)


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = _StrictMappingEnvironment(
        loader=jinja2.PackageLoader("privacy_pages.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.ChainableUndefined,
        auto_reload=False,  # templates ship with the package; no need to stat them per page
        # Compiled templates are kept in a per-user folder of the temp dir (Jinja checks
        # its ownership), so a build does not pay for compiling them every time.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    env.filters["safe_url"] = safe_url
    return env


def warm_up(languages: Sequence[str]) -> None:
    """Compile the templates and load the catalogues once, before worker processes fork."""
    env = environment()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
        env.get_template(name)
    for lang in languages:
        catalogue(lang)
    catalogue("en")


def display_name(model: Controller, text: PageText) -> Markup:
    """How pages name the controller: its title, trade name, legal name, or its id."""
    name = model.name_text
    if not isinstance(name, str):
        return text.text(name, marker=False)  # a title that differs by language
    return escape(name)  # a name is the same in every language: never marked as a fallback


def plain_name(controller: ControllerLike, lang: str) -> str:
    """The controller's name as text in ``lang`` (a title that differs by language)."""
    model = Controller.of(controller)
    name = model.name_text
    if not isinstance(name, str):
        return PageText(lang, model.default_language).raw(name)
    return name


def _index_name(model: Controller, shown: str, lang: str) -> Markup:
    """The controller's name in the index (written in ``lang``) as its ``shown`` page names
    it: a title that differs by language carries the ``lang`` it is written in."""
    title = model.get("title")
    if title and isinstance(title, Mapping):
        resolved = resolve_text(title, shown, model.default_language)
        if resolved is not None and resolved.lang != lang:
            return Markup('<span lang="{}">{}</span>').format(resolved.lang, resolved.text)
    return escape(plain_name(model, shown))


_BLOCK_START = re.compile(r'^(#{1,6} |<div class="(pp-|admonition)|<details class="pp-)')


def _tidy(markdown: str) -> str:
    """Blank lines around headings and between top-level blocks, and nowhere else.

    A blank line inside an HTML block could end it early and let Markdown read the rest.
    """
    out: list[str] = []
    for line in markdown.splitlines():
        line = line.rstrip()
        if not line:
            continue
        if out and (_BLOCK_START.match(line) or out[-1].startswith("#")):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


class _ControllerView:
    """Lookups the templates need (recipients and categories by id, links)."""

    def __init__(
        self, model: Controller, text: PageText, layout: Layout, lang: str, kind: str
    ) -> None:
        data = model.data
        self.data = data
        self.text = text
        self.layout = layout
        self.lang = lang
        self.url = layout.page_url(data["id"], lang, kind)
        self.model = model
        self.recipients = {rid: r.data for rid, r in model.recipients.items()}

    def href(self, kind: str, lang: str | None = None) -> str:
        target = self.layout.page_url(self.data["id"], lang or self.lang, kind)
        return self.layout.relative(self.url, target)

    def page_link(self, kind: str) -> Markup:
        """A link to another page of the controller, or to where the document is published
        when the file does not cover it (``documents.elsewhere``); plain text if neither."""
        title = self.text.t(_TITLE_KEYS[kind])
        document = _KIND_DOCUMENTS.get(kind)
        model = self.model
        if document is not None and not model.covers(document):
            url = safe_url(model.published_elsewhere(document) or "")
            return Markup('<a href="{}" rel="noopener">{}</a>').format(url, title) if url else title
        return Markup('<a href="{}">{}</a>').format(self.href(kind), title)

    def recipient_name(self, ref: str) -> Markup:
        recipient = self.recipients.get(ref)
        if recipient is None:
            return escape(ref)
        on_privacy_page = self.url == self.layout.page_url(self.data["id"], self.lang, "privacy")
        return Markup('<a href="{}#recipient-{}">{}</a>').format(
            "" if on_privacy_page else self.href("privacy"), ref, self.recipient_label(recipient)
        )

    def recipient_label(self, recipient: Mapping[str, Any]) -> Markup:
        """A named company is a proper name; a category of recipients is prose."""
        name = recipient["name"]
        return self.text.text(name) if recipient.get("category") else self.text.name(name)

    def category_label(self, ref: str | None) -> Markup:
        category = self.model.categories.get(ref or "")
        if category is None:
            return escape(ref or "")
        if category.get("title"):
            return self.text.text(category.get("title"))
        return self.text.label("category", category.kind)

    def consent_status(self, part: CookieCategory | Tracker) -> Markup:
        """The consent status the file states for a category or tracker; nothing if silent."""
        stated = part.stated_consent
        if stated is None:
            return Markup("")
        return self.text.t("cookies.consent_needed" if stated else "cookies.consent_not_needed")

    def person(self, person: dict[str, Any]) -> Markup:
        out = escape(person["name"])
        if person.get("role"):
            out = Markup("{} ({})").format(out, self.text.text(person["role"]))
        if person.get("email"):
            out = Markup('{}, <a href="mailto:{}">{}</a>').format(
                out, person["email"], person["email"]
            )
        return out

    def organisation(self, org: dict[str, Any]) -> Markup:
        out = escape(org["name"])
        address = org.get("address") or {}
        parts = [address.get(k) for k in ("recipient", "street") if address.get(k)]
        city = " ".join(str(address[k]) for k in ("postal_code", "city") if address.get(k))
        if city:
            parts.append(city)
        if address.get("country"):
            parts.append(self.text.country(address["country"]))
        for part in parts:
            out = Markup("{}, {}").format(out, part)
        for key in ("email", "phone"):
            if org.get(key):
                out = Markup("{}, {}").format(out, org[key])
        return out

    def registration(self, registration: dict[str, Any]) -> str:
        return formatting.format_registration(registration)

    def retention_item(self, rule: dict[str, Any]) -> Markup:
        out = Markup("")
        if rule.get("applies_to"):
            out = Markup("<strong>{}</strong>{} ").format(
                self.text.text(rule["applies_to"]), self.text.colon
            )
        # The generated phrase, the criteria and the file's own wording are separate
        # statements: each on its own line, never run into one sentence ("10 ans Les...").
        parts = [self.text.retention(rule)]
        if rule.get("criteria"):
            parts.append(
                Markup("{}{} {}").format(
                    self.text.t("privacy.criteria"),
                    self.text.colon,
                    self.text.text(rule["criteria"]),
                )
            )
        if rule.get("description"):
            parts.append(
                Markup('<q class="pp-wording">{}</q>').format(self.text.text(rule["description"]))
            )
        return out + Markup("<br>").join(part for part in parts if part)

    def activity_groups(self) -> list[dict[str, Any]]:
        """Activities grouped under their audience (B2C, B2B), in the file's order."""
        activities = self.model.activities
        sections = [x for x in self.data.get("sections") or [] if isinstance(x, Mapping)]
        if not sections:
            return [{"section": None, "activities": activities}] if activities else []
        groups = []
        ids = {x.get("id") for x in sections}
        unassigned = [a for a in activities if a.get("section") not in ids]
        if unassigned:
            groups.append({"section": None, "activities": unassigned})
        for section in sections:
            members = [a for a in activities if a.get("section") == section.get("id")]
            if members:
                groups.append({"section": section, "activities": members})
        return groups

    def retention_summary(self, activity: Activity) -> Markup:
        """Every retention rule covering an activity, each with the scope it states."""
        rules = activity.all_retention
        return Markup("<br>").join(self.retention_item(r.data) for r in rules)


def published_languages(model: Controller, only: Sequence[str] | None = None) -> list[str]:
    """The controller's languages that get pages (all, or those of the build's filter)."""
    return [lang for lang in model.languages if only is None or lang in only]


def _alternates(view: _ControllerView, kind: str, only: Sequence[str] | None) -> list[Alternate]:
    return [
        Alternate(lang, formatting.language_autonym(lang), view.href(kind, lang))
        for lang in published_languages(view.model, only)
        if lang != view.lang
    ]


def _fallback_notice(text: PageText) -> str:
    """Says which: the whole page is in another language, or some passages are."""
    if not text.fallback_languages:
        return ""
    key = "fallback.page_notice" if text.own_count else "fallback.whole_page_notice"
    shown_in = formatting.language_list(sorted(text.fallback_languages), text.lang)
    notice = translate(
        key,
        text.lang,
        language=formatting.language_name(text.lang, text.lang),
        shown_in=shown_in,
    )
    return str(
        Markup('<div class="admonition info pp-fallback-notice">\n<p>{}</p>\n</div>').format(notice)
    )


def render_page(
    controller: ControllerLike,
    lang: str,
    kind: str,
    layout: Layout | None = None,
    only: Sequence[str] | None = None,
    *,
    as_of: datetime.date | None = None,
) -> RenderedPage:
    """The Markdown of page ``kind`` for ``controller`` in ``lang``.

    ``only`` limits the languages the page links to (the languages being published);
    ``as_of`` is the day whose law the page's fixed sentences state (today when None).
    """
    model = Controller.of(controller)
    data = model.data
    layout = layout or Layout()
    text = PageText(lang, model.default_language, model.proper_names, Law.on(as_of))
    view = _ControllerView(model, text, layout, lang, kind)
    name = display_name(model, text)
    title = Markup("{} – {}").format(text.t(_TITLE_KEYS[kind]), name) if kind != "landing" else name
    cookies = data.get("cookies") or {}
    context = {
        "T": text,
        "data": data,
        "model": model,
        "activities": model.activities,
        "categories": tuple(model.categories.values()),
        "trackers": model.trackers,
        "outside_eea": model.transfers.outside_eea,
        "Stated": Stated,
        "name": name,
        "title": title,
        "c": data.get("controller") or {},
        "natural_person": model.is_natural_person,
        "dpo": data.get("dpo") or {},
        "host": data.get("host") or {},
        "meta": data.get("meta") or {},
        "processing": data.get("processing") or [],
        "activity_groups": view.activity_groups(),
        "recipients": data.get("recipients") or [],
        "transfers": data.get("transfers") or {},
        "rights": data.get("rights") or {},
        "national": data.get("national") or {},
        "minors": data.get("minors") or {},
        "security": data.get("security") or {},
        "ck": cookies,
        "has_cookies": bool(cookies),
        "extra": data.get("extra_sections") or [],
        "other_languages": _alternates(view, kind, only),
        "exports": {
            n: layout.relative(view.url, layout.export_path(data["id"], n)) for n in EXPORT_FILES
        },
        "page_link": view.page_link,
        "recipient_name": view.recipient_name,
        "category_label": view.category_label,
        "consent_status": view.consent_status,
        "retention_summary": view.retention_summary,
        "person": view.person,
        "organisation": view.organisation,
        "registration": view.registration,
        "retention_item": view.retention_item,
    }
    body = environment().get_template(f"{kind}.md.j2").render(context)
    body = place_extra_sections(body.replace(_NOTICE_SLOT, _fallback_notice(text)))
    plain_title = plain_name(model, lang)
    if kind != "landing":
        plain_title = f"{translate(_TITLE_KEYS[kind], lang)} – {plain_title}"
    return RenderedPage(
        controller_id=data["id"],
        lang=lang,
        kind=kind,
        title=plain_title,
        markdown=_tidy(body),
        src_path=layout.src_path(data["id"], lang, kind),
        url=view.url,
        fallback_languages=frozenset(text.fallback_languages),
    )


def render_pages(
    controller: ControllerLike,
    layout: Layout | None = None,
    languages: Sequence[str] | None = None,
    *,
    as_of: datetime.date | None = None,
) -> list[RenderedPage]:
    """Every page of a controller in each of its languages (or those of ``languages``),
    stating the law in force on ``as_of`` (today when None)."""
    model = Controller.of(controller)
    return [
        render_page(model, lang, kind, layout, languages, as_of=as_of)
        for lang in published_languages(model, languages)
        for kind in page_kinds(model)
    ]


def render_index(
    controllers: Sequence[ControllerLike],
    lang: str,
    layout: Layout | None = None,
    only: Sequence[str] | None = None,
    drafts: Collection[str] = (),
) -> str:
    """The Markdown of the index of controllers, written in ``lang``, linking to the pages
    of each published language (``only``: the build's language filter).

    Controllers whose id is in ``drafts`` are marked as drafts in words, and a line under
    the table says what the mark means (only when there is one)."""
    layout = layout or Layout()
    here = layout.index_url()
    entries = []
    models = [Controller.of(controller) for controller in controllers]
    for model in sorted(models, key=lambda m: plain_name(m, lang).casefold()):
        languages = published_languages(model, only)
        if not languages:
            continue
        shown = lang if lang in languages else languages[0]
        entries.append(
            {
                "name": _index_name(model, shown, lang),
                "href": layout.relative(here, layout.page_url(model.id, shown, "landing")),
                "draft": model.id in drafts,
                "languages": [
                    Alternate(
                        code,
                        formatting.language_autonym(code),
                        layout.relative(here, layout.page_url(model.id, code, "landing")),
                    )
                    for code in languages
                ],
            }
        )
    text = PageText(lang, lang)
    body = (
        environment()
        .get_template("index.md.j2")
        .render(T=text, entries=entries, any_draft=any(entry["draft"] for entry in entries))
    )
    return _tidy(body)

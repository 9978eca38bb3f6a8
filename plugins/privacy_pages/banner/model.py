"""What a consent banner needs to know, read once from the controller model.

Every consent manager asks the same questions in its own dialect: which purposes need
consent and which are always on, what each is called and says in each language, which
services (providers) run under each, which cookies to delete when a visitor refuses, where
the cookie policy is, how long the choice is kept. `read_banner` answers them from the
controller file and nothing else; the format modules only translate the answers.

Grouping: one purpose per cookie category, split when some of its trackers do not share the
category's consent reading (an exempt audience-measurement cookie inside an analytics
category stays on; it must not be deleted on refusal). Trackers without a category, or whose
consent reading is unknown, are treated as needing consent: a banner that blocks too much is
fixed by declaring the category, one that lets a tracker through before consent is a breach.
Inside a purpose, one service per provider; trackers named without a provider form a service
named after the purpose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from babel.lists import format_list

from privacy_pages.i18n import translate
from privacy_pages.model import Controller, CookieCategory, Tracker
from privacy_pages.model.durations import parse_duration
from privacy_pages.model.text import resolve_text
from privacy_pages.render.formatting import babel_locale, format_duration
from privacy_pages.render.layout import Layout

UNCATEGORISED = "uncategorised"
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``Google Analytics`` -> ``google-analytics`` (a key consent managers accept)."""
    return _SLUG.sub("-", text.casefold()).strip("-") or "service"


@dataclass(frozen=True)
class CookiePattern:
    """A first-party cookie a consent manager deletes when its purpose is refused."""

    name: str
    prefix: bool = False
    domain: str = ""

    @property
    def regex(self) -> str:
        """The JavaScript regular expression source matching the cookie's names."""
        escaped = re.sub(r"([\\^$.|?*+()\[\]{}/-])", r"\\\1", self.name)
        return f"^{escaped}" + ("" if self.prefix else "$")


@dataclass(frozen=True)
class Row:
    """One tracker as the banner's cookie table shows it, in one language."""

    name: str
    provider: str
    lifetime: str
    purpose: str


@dataclass(frozen=True)
class Service:
    """What a site tags its scripts with: one provider's trackers within one purpose."""

    key: str
    titles: Mapping[str, str]
    """Per language: the provider, or the purpose's title for trackers named without one."""
    purpose_id: str
    trackers: tuple[Tracker, ...]

    @property
    def name(self) -> str:
        """The title in the controller's default language (the first of ``titles``)."""
        return next(iter(self.titles.values()))

    @property
    def cookies(self) -> tuple[CookiePattern, ...]:
        return _patterns(self.trackers)

    @property
    def tracker_names(self) -> list[str]:
        return [_shown_name(t) for t in self.trackers if t.name]


@dataclass(frozen=True)
class Purpose:
    """A group the visitor accepts or refuses as one (always on when ``required``)."""

    id: str
    required: bool
    kind: str | None
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    services: tuple[Service, ...]

    @property
    def trackers(self) -> tuple[Tracker, ...]:
        return tuple(t for s in self.services for t in s.trackers)

    @property
    def cookies(self) -> tuple[CookiePattern, ...]:
        return _patterns(self.trackers)


@dataclass(frozen=True)
class Banner:
    """The consent banner of one controller, in each of its languages."""

    controller_id: str
    languages: tuple[str, ...]
    purposes: tuple[Purpose, ...]
    policy_urls: Mapping[str, str]
    consent_cookie: str
    choice_days: int | None
    texts: Mapping[str, Mapping[str, str]]
    rows: Mapping[str, Mapping[str, tuple[Row, ...]]] = field(default_factory=dict)
    """Per language, per service key: its lines of the cookie table."""
    undeclared_consent_cookie: bool = False

    def listing(self, lang: str, service: Service) -> str:
        """``_pa_* (13 mois), ads_session (session)``: a service's trackers in one line."""
        parts = []
        for row, tracker in zip(self.rows[lang][service.key], service.trackers):
            if not row.name:
                continue
            short = self.texts[lang]["session"] if tracker.lifetime == "session" else row.lifetime
            parts.append(f"{row.name} ({short})" if short else row.name)
        return ", ".join(parts)

    def table(self, lang: str, purpose: Purpose) -> tuple[Row, ...]:
        """The cookie table of ``purpose`` in ``lang``."""
        return tuple(row for s in purpose.services for row in self.rows[lang][s.key])

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def consent_purposes(self) -> tuple[Purpose, ...]:
        return tuple(p for p in self.purposes if not p.required)

    @property
    def services(self) -> tuple[Service, ...]:
        return tuple(s for p in self.purposes for s in p.services)


BANNER_KEYS = (
    "title",
    "description",
    "accept_all",
    "reject_all",
    "customise",
    "save",
    "close",
    "policy_link",
    "always_on",
    "session",
)


def read_banner(
    controller: Controller | Mapping[str, Any],
    *,
    consent_cookie: str,
    languages: Sequence[str] | None = None,
    policy_url: str | None = None,
    url_prefix: str = "clients",
) -> Banner:
    """The banner of ``controller`` for a consent manager whose choice is kept in the
    cookie ``consent_cookie``.

    ``policy_url`` may hold ``{lang}``; by default, the cookie policy the file says is
    published elsewhere, else the page `build` and `generate` write under ``url_prefix``.
    """
    model = Controller.of(controller)
    langs = tuple(languages or model.languages)
    default = model.default_language
    groups: dict[tuple[str, bool], list[Tracker]] = {}
    for tracker in model.trackers:
        category = tracker.category.id if tracker.category else UNCATEGORISED
        needs = tracker.needs_consent is not False
        groups.setdefault((category, needs), []).append(tracker)
    natural = {cid: c.needs_consent is not False for cid, c in model.categories.items()}
    purposes = []
    for (category_id, needs), trackers in _ordered(groups, list(model.categories)):
        category = model.categories.get(category_id)
        split = category_id in natural and natural[category_id] != needs
        purpose_id = f"{category_id}-{'consent' if needs else 'exempt'}" if split else category_id
        titles = {lang: _purpose_title(category, lang, default, split, needs) for lang in langs}
        descriptions = {}
        for lang in langs:
            text = resolve_text(category.get("description") if category else None, lang, default)
            if text is not None:
                descriptions[lang] = text.text
        services = _services(purpose_id, titles, trackers)
        purposes.append(
            Purpose(purpose_id, not needs, category.kind if category else None, titles,
                    descriptions, services)
        )  # fmt: skip
    purposes.sort(key=lambda p: not p.required)
    declared = [t for t in model.trackers if t.name == consent_cookie]
    rows = {
        lang: {
            s.key: tuple(_row(t, lang, default, p.titles[lang]) for t in s.trackers)
            for p in purposes
            for s in p.services
        }
        for lang in langs
    }
    return Banner(
        controller_id=model.id,
        languages=langs,
        purposes=tuple(purposes),
        policy_urls={lang: _policy_url(model, lang, policy_url, url_prefix) for lang in langs},
        consent_cookie=consent_cookie,
        choice_days=_choice_days(model, declared),
        texts={lang: _texts(lang, purposes) for lang in langs},
        rows=rows,
        undeclared_consent_cookie=not declared,
    )


def _texts(lang: str, purposes: list[Purpose]) -> dict[str, str]:
    """The banner's own words in ``lang``; its description names the purposes needing consent."""
    texts = {key: translate(f"banner.{key}", lang) for key in BANNER_KEYS if key != "description"}
    titles = [p.titles[lang] for p in purposes if not p.required]
    listed = format_list(titles, locale=babel_locale(lang)) if titles else ""
    texts["description"] = translate("banner.description", lang, purposes=listed)
    return texts


def _ordered(
    groups: dict[tuple[str, bool], list[Tracker]], order: list[str]
) -> list[tuple[tuple[str, bool], list[Tracker]]]:
    """Groups in the file's category order, uncategorised trackers last."""
    rank = {cid: i for i, cid in enumerate(order)}
    return sorted(groups.items(), key=lambda item: (rank.get(item[0][0], len(rank)), item[0][1]))


def _purpose_title(
    category: CookieCategory | None, lang: str, default: str, split: bool, needs: bool
) -> str:
    own = resolve_text(category.get("title"), lang, default) if category else None
    if own is not None:
        title = own.text
    elif category is not None and category.kind:
        title = translate(f"category.{category.kind}", lang)
    elif category is not None:
        title = category.id
    else:
        title = translate("category.other", lang)
    if split:
        basis = translate("cookie_basis.consent" if needs else "cookie_basis.exempt", lang)
        title = f"{title} ({basis})"
    return title


def _services(
    purpose_id: str, titles: Mapping[str, str], trackers: list[Tracker]
) -> tuple[Service, ...]:
    by_provider: dict[str, list[Tracker]] = {}
    for tracker in trackers:
        by_provider.setdefault(str(tracker.provider or ""), []).append(tracker)
    services = []
    for provider, members in by_provider.items():
        key = f"{purpose_id}-{slug(provider)}" if provider else purpose_id
        named = {lang: provider for lang in titles} if provider else dict(titles)
        services.append(Service(key, named, purpose_id, tuple(members)))
    return tuple(services)


def _patterns(trackers: Sequence[Tracker]) -> tuple[CookiePattern, ...]:
    """The cookies a script on the site can delete: first-party cookies with a name."""
    patterns: dict[CookiePattern, None] = {}
    for tracker in trackers:
        if tracker.type != "cookie" or not tracker.name or tracker.get("party") == "third":
            continue
        patterns[CookiePattern(tracker.name, tracker.match == "prefix", tracker.domain)] = None
    return tuple(patterns)


def _shown_name(tracker: Tracker) -> str:
    return tracker.name + ("*" if tracker.match == "prefix" else "")


def _row(tracker: Tracker, lang: str, default: str, purpose_title: str) -> Row:
    purpose = resolve_text(tracker.get("purpose"), lang, default)
    return Row(
        name=_shown_name(tracker) if tracker.name else "",
        provider=str(tracker.provider or ""),
        lifetime=format_duration(tracker.lifetime, lang) if tracker.lifetime else "",
        purpose=purpose.text if purpose else purpose_title,
    )


def _choice_days(model: Controller, declared: list[Tracker]) -> int | None:
    """How long the choice is kept: the consent manager's stated ``choice_lifetime``, else
    the declared lifetime of its cookie; whole days, never longer than declared."""
    manager = model.cookies.get("consent_manager") or {}
    lifetimes = [manager.get("choice_lifetime")] + [t.lifetime for t in declared]
    for lifetime in lifetimes:
        duration = parse_duration(str(lifetime or ""))
        if duration is not None and duration.approx_days >= 1:
            return int(duration.approx_days)
    return None


def _policy_url(model: Controller, lang: str, template: str | None, prefix: str) -> str:
    if template:
        return template.replace("{lang}", lang)
    elsewhere = model.published_elsewhere("cookie_policy")
    if elsewhere:
        return str(elsewhere)
    return "/" + Layout(prefix, directory_urls=True).page_url(model.id, lang, "cookies")

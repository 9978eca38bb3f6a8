"""The one read-only model of a controller file, read by the rules, the pages and the audit.

Built once from a loaded, schema-checked document. It keeps the file's data as written
(``data``, for exports and leaf-by-leaf reading) and adds the interpretations every reader
must share: defaults, the consent reading, tri-state facts, the scope of retention rules,
how the controller is named, and the JSON pointer of each part for diagnostics.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy_pages.model.base import Item, Stated
from privacy_pages.model.cookies import CookieCategory, Tracker, read_categories, read_trackers
from privacy_pages.model.identity import normalise_digits, normalise_siren, normalise_vat
from privacy_pages.model.processing import (
    Activity,
    RetentionRule,
    Transfers,
    read_activities,
    read_retention,
)
from privacy_pages.model.rights import Rights
from privacy_pages.model.texts import bundles_consent, walk_texts

if TYPE_CHECKING:
    from privacy_pages.model.yaml_source import LoadedDocument

EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
})  # fmt: skip
FRENCH_REGISTERS = ("RCS", "RM", "RNE")
DOCUMENTS = ("privacy_notice", "cookie_policy", "legal_notice")
SOLE_TRADER_FORMS = frozenset({
    "EI", "EIRL", "ENTREPRENEUR INDIVIDUEL", "ENTREPRISE INDIVIDUELLE", "MICRO-ENTREPRISE",
    "MICRO-ENTREPRENEUR", "AUTO-ENTREPRENEUR",
})  # fmt: skip
# Legal forms with no duty to register at the RCS or the RNE (LCEN art. 1-1 I asks the number
# of those subject to registration only): associations, foundations, public bodies.
_ASSOCIATION_FORMS = re.compile(
    r"association|fondation|foundation|fonds de dotation|endowment fund|syndicat|congr[ée]gation"
)
_PUBLIC_FORMS = re.compile(
    r"[ée]tablissement public|public body|collectivit[ée]|\bcommune\b|groupement d'int[ée]r[êe]t"
    r" public|\bgip\b|minist[èe]re|administration"
)


class Controller:
    """One controller file, read once. Treat it as read-only."""

    def __init__(self, data: Mapping[str, Any], path: str = "") -> None:
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        self.path = path

    @classmethod
    def from_document(cls, document: LoadedDocument) -> Controller:
        """The model of a loaded file, keeping the file for positions (diagnostics)."""
        model = cls(document.data if isinstance(document.data, Mapping) else {}, document.path)
        model.document = document
        return model

    @classmethod
    def of(cls, value: Controller | Mapping[str, Any]) -> Controller:
        """``value`` as the model: the very object when it is one already, so that its
        interpretations are read once from load to page (plain data: tests, other tools)."""
        return value if isinstance(value, Controller) else cls(value)

    document: LoadedDocument | None = None

    # -- raw access with pointers ----------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def section(self, key: str) -> Mapping[str, Any]:
        """A top-level mapping, empty when absent or malformed."""
        value = self.data.get(key)
        return value if isinstance(value, Mapping) else {}

    def items(self, *path: str) -> list[Item]:
        """Entries of the list at ``path`` (e.g. ``items("rights", "channels")``)."""
        node: Any = self.data
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if not isinstance(node, list):
            return []
        base = "/" + "/".join(path)
        return [Item(f"{base}/{i}", v) for i, v in enumerate(node) if isinstance(v, Mapping)]

    def texts(self) -> Iterator[tuple[str, Any]]:
        """Every prose field of the file: (pointer, value)."""
        return iter(self._texts)

    @functools.cached_property
    def _texts(self) -> list[tuple[str, Any]]:
        return list(walk_texts(self.data))

    # -- identity --------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return str(self.data.get("id") or Path(self.path).stem)

    @property
    def languages(self) -> list[str]:
        return [str(x) for x in self.data.get("languages") or ()] or ["en"]

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def controller(self) -> Mapping[str, Any]:
        return self.section("controller")

    @property
    def name_text(self) -> Any:
        """How pages name the controller: its title (prose), trade name, legal name, or id."""
        controller = self.controller
        return (
            self.data.get("title")
            or controller.get("trade_name")
            or controller.get("name")
            or self.id
        )

    @property
    def is_french(self) -> bool:
        address = self.controller.get("address") or {}
        registration = self.controller.get("registration") or {}
        return address.get("country") == "FR" or registration.get("register") in FRENCH_REGISTERS

    @property
    def is_company(self) -> bool:
        """A professional publisher, not a private person's site (LCEN art. 1-1 II).

        ``non_professional`` says it; in files of schema 1, ``natural_person`` alone meant
        the same, so it still does unless ``non_professional: false`` is stated.
        """
        stated = self.controller.get("non_professional")
        if stated is not None:
            return not stated
        if self.schema_version >= 2:
            return True
        return not self.controller.get("natural_person", False)

    @property
    def publisher_kind(self) -> str:
        """Who publishes, as the legal form or register says: ``company``, ``sole_trader``,
        ``association`` (foundations and endowment funds too), ``public_body``,
        ``private_person`` (a non-professional site) or ``unknown``."""
        if not self.is_company:
            return "private_person"
        form = str(self.controller.get("legal_form") or "").strip()
        register = (self.controller.get("registration") or {}).get("register")
        if register == "RNA" or _ASSOCIATION_FORMS.search(form.lower()):
            return "association"
        if _PUBLIC_FORMS.search(form.lower()):
            return "public_body"
        if form.upper() in SOLE_TRADER_FORMS or self.controller.get("natural_person"):
            return "sole_trader"
        if form or register in FRENCH_REGISTERS:
            return "company"
        return "unknown"

    @property
    def is_natural_person(self) -> bool:
        """The publisher is a person, not a legal entity (a sole trader or a private site):
        LCEN art. 1-1 I asks for a domicile, not a registered office."""
        return self.publisher_kind in ("sole_trader", "private_person") or bool(
            self.controller.get("natural_person")
        )

    @property
    def must_register(self) -> bool:
        """Whether the publisher may be subject to the RCS or the RNE (LCEN art. 1-1 I):
        every professional except associations and public bodies (unknown counts as yes)."""
        return self.publisher_kind in ("company", "sole_trader", "unknown")

    @property
    def is_professional(self) -> bool:
        """A professional in the consumer code's sense: not a private site, and not an
        association or public body unless it sells to consumers."""
        kind = self.publisher_kind
        if kind == "private_person":
            return False
        if kind in ("association", "public_body"):
            return self.sells_online or self.sells_to_consumers is Stated.YES
        return True

    @property
    def schema_version(self) -> int:
        """The content model the file is written for (1 when it does not say)."""
        value = self.data.get("schema_version")
        return value if isinstance(value, int) else 1

    @property
    def siren(self) -> str:
        """The controller's SIREN, normalised to nine digits ("" when absent)."""
        registration = self.controller.get("registration") or {}
        return normalise_siren(registration.get("siren")) if registration.get("siren") else ""

    @property
    def siret(self) -> str:
        registration = self.controller.get("registration") or {}
        return normalise_digits(registration.get("siret"))

    @property
    def vat_number(self) -> str:
        """The controller's VAT number without spaces ("" when absent)."""
        return normalise_vat(self.controller.get("vat_number"))

    # -- scope -----------------------------------------------------------------------------
    @property
    def documents(self) -> Mapping[str, Any]:
        return self.section("documents")

    @property
    def covered_documents(self) -> tuple[str, ...]:
        """The documents the file covers: ``documents.covers``, or all three."""
        covers = self.documents.get("covers")
        if not isinstance(covers, list) or not covers:
            return DOCUMENTS
        return tuple(d for d in DOCUMENTS if d in covers)

    def covers(self, document: str) -> bool:
        """Whether the file describes ``document`` (privacy_notice, cookie_policy,
        legal_notice); rules of that document's family apply only then."""
        return document in self.covered_documents

    def published_elsewhere(self, document: str) -> str | None:
        """The URL where a document this file does not cover is published."""
        elsewhere = self.documents.get("elsewhere") or {}
        return elsewhere.get(document) if isinstance(elsewhere, Mapping) else None

    @property
    def websites(self) -> list[str]:
        """Every site or app URL: ``website`` and each of ``websites``."""
        urls = [self.website] if self.website else []
        urls += [str(w.get("url")) for w in self.items("websites") if w.get("url")]
        return list(dict.fromkeys(urls))

    @property
    def audited_websites(self) -> list[str]:
        """The sites `privacy-pages audit` visits: ``website`` and each of ``websites`` that
        is not an app (an app's URL is its store page, not the app)."""
        urls = [str(self.data["website"])] if self.data.get("website") else []
        urls += [
            str(w.get("url"))
            for w in self.items("websites")
            if w.get("url") and w.get("kind") != "app"
        ]
        return list(dict.fromkeys(urls))

    @property
    def commerce(self) -> Mapping[str, Any]:
        return self.section("commerce")

    @property
    def sells_online(self) -> bool:
        """The publisher sells on the site (LCEN art. 19 applies)."""
        return bool(self.commerce.get("online_sales"))

    @property
    def sells_to_consumers(self) -> Stated:
        """Whether customers include consumers, as the file states it."""
        return Stated.read(self.commerce.get("consumers"))

    @property
    def mediator(self) -> Mapping[str, Any]:
        value = self.commerce.get("mediator")
        return value if isinstance(value, Mapping) else {}

    @property
    def proper_names(self) -> frozenset[str]:
        """Names the same in every language: never reported as untranslated."""
        return frozenset(str(n) for n in self.data.get("proper_names") or ())

    # -- privacy notice --------------------------------------------------------------------
    @property
    def rights(self) -> Rights:
        return Rights("/rights", self.section("rights"))

    @property
    def data_sources(self) -> list[Item]:
        """``data_sources``: origins of data not collected from the person."""
        return self.items("data_sources")

    @property
    def dpo(self) -> Mapping[str, Any]:
        return self.section("dpo")

    @property
    def minors(self) -> Mapping[str, Any]:
        return self.section("minors")

    def bundled_consent_texts(self) -> list[str]:
        """Pointers of prose that takes consent from the mere use of the site."""
        return self.texts_where(bundles_consent)

    def texts_where(self, predicate: Callable[[Any], bool]) -> list[str]:
        """Pointers of the prose fields for which ``predicate`` holds, in file order."""
        return [pointer for pointer, value in self._texts if predicate(value)]

    # -- processing ------------------------------------------------------------------------
    @functools.cached_property
    def general_retention(self) -> tuple[RetentionRule, ...]:
        return read_retention(self.data.get("retention"), "/retention")

    @functools.cached_property
    def activities(self) -> tuple[Activity, ...]:
        return read_activities(self.data.get("processing"), self.general_retention)

    @functools.cached_property
    def recipients(self) -> dict[str, Item]:
        return {str(r.get("id")): r for r in self.items("recipients")}

    @property
    def transfers(self) -> Transfers:
        return Transfers("/transfers", self.section("transfers"))

    # -- cookies ---------------------------------------------------------------------------
    @property
    def cookies(self) -> Mapping[str, Any]:
        return self.section("cookies")

    @functools.cached_property
    def categories(self) -> dict[str, CookieCategory]:
        return read_categories(self.cookies.get("categories"))

    @functools.cached_property
    def trackers(self) -> tuple[Tracker, ...]:
        return read_trackers(self.cookies.get("trackers"), self.categories)

    @property
    def consent_manager_name(self) -> str | None:
        manager = self.cookies.get("consent_manager") or {}
        return manager.get("name") if isinstance(manager, Mapping) else None

    @property
    def website(self) -> str | None:
        """The main site (the audit's default target): ``website``, else the first of
        ``websites``."""
        value = self.data.get("website")
        if value:
            return str(value)
        sites = [w for w in self.items("websites") if w.get("url")]
        return str(sites[0].get("url")) if sites else None

    def any_consent_needed(self) -> bool:
        """Whether, by the law's reading, any declared category or tracker needs consent."""
        return any(c.needs_consent for c in self.categories.values()) or any(
            t.needs_consent is not False for t in self.trackers
        )


ControllerLike = Controller | Mapping[str, Any]
"""What the pages and exports accept: the model, or plain data read into one (`Controller.of`)."""

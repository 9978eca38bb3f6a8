"""Correct French and English around generated values, names that are never "untranslated",
an honest fallback notice, bodies as written, extra sections where the author put them."""

from __future__ import annotations

import copy
import itertools
import json
import re
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from privacy_pages.render import render_page
from privacy_pages.render.html import markdown_to_html

from .conftest import DATA, REPO
from .pagetext import normalise

ATELIER = yaml.safe_load((DATA / "atelier.yaml").read_text(encoding="utf-8"))


def _text(data: dict[str, Any], lang: str, kind: str) -> str:
    html = markdown_to_html(render_page(data, lang, kind).markdown)
    return normalise(BeautifulSoup(html, "html.parser").get_text(" "))


def _html(data: dict[str, Any], lang: str, kind: str) -> BeautifulSoup:
    return BeautifulSoup(markdown_to_html(render_page(data, lang, kind).markdown), "html.parser")


# (lang, page, must appear, must not appear): fixed text meeting a generated value.
GRAMMAR = [
    ("fr", "privacy", "réclamation auprès de la CNIL", "auprès de CNIL"),
    ("en", "privacy", "lodge a complaint with the CNIL", "with CNIL"),
    ("fr", "privacy", "Délai de réponse : 1 mois", "de 1 mois"),
    ("fr", "privacy", "Lieu de stockage des données : France", "stockées en :"),
    ("fr", "cookies", "Déposé par : Un tiers", "(first party)"),
    ("fr", "cookies", "Déposé par : Ce site", "Origine"),
    ("en", "cookies", "Set by: A third party", "Party:"),
]


@pytest.mark.parametrize(("lang", "kind", "present", "absent"), GRAMMAR)
def test_fixed_text_agrees_with_generated_values(
    lang: str, kind: str, present: str, absent: str
) -> None:
    text = _text(ATELIER, lang, kind)
    assert present in text
    assert absent not in text


def test_no_elision_left_to_chance_before_a_name() -> None:
    """ "Tout ce que Officine..." needed "qu'": the sentence no longer puts a word before it."""
    data = copy.deepcopy(ATELIER)
    data["controller"]["trade_name"] = "Officine Générale"
    text = _text(data, "fr", "landing")
    assert "Vos données personnelles chez Officine Générale" in text
    assert not re.search(r"\b(que|de|le|la) Officine", text)


def test_unknown_authority_gets_a_neutral_phrase() -> None:
    data = copy.deepcopy(ATELIER)
    data["rights"]["supervisory_authority"] = {"name": "APD"}
    french = str(_html(data, "fr", "privacy"))
    assert 'auprès de l’autorité de contrôle (<span translate="no">APD</span>)' in french
    english = str(_html(data, "en", "privacy"))
    assert 'with the supervisory authority (<span translate="no">APD</span>)' in english


def test_retention_parts_never_run_into_one_sentence() -> None:
    data = copy.deepcopy(ATELIER)
    data["retention"] = [
        {"duration": "P10Y", "description": {"fr": "Les documents comptables.", "en": "Ledgers."}}
    ]
    item = _html(data, "fr", "privacy").select_one(".pp-block li:has(q.pp-wording)")
    assert item is not None
    assert "10 ans<br/><q" in str(item) or "10 ans<br><q" in str(item), str(item)


BILINGUAL = {
    "id": "bilingual",
    "languages": ["fr", "en"],
    "title": "Atelier Démo",
    "processing": [
        {
            "id": "orders",
            "title": {"fr": "Commandes", "en": "Orders"},
            "purposes": [{"fr": "Livrer", "en": "Deliver"}],
            "legal_bases": ["contract"],
            "recipients": ["stripe", "carriers"],
        }
    ],
    "recipients": [
        {"id": "stripe", "name": "Stripe Payments Europe", "kind": "processor"},
        {"id": "carriers", "name": {"fr": "Transporteurs", "en": "Carriers"}, "category": True},
    ],
    "cookies": {
        "categories": [{"id": "analytics", "kind": "analytics"}],
        "trackers": [
            {
                "name": "_ga",
                "provider": "Google Analytics",
                "recipient": "stripe",
                "category": "analytics",
                "purpose": {"fr": "Mesurer", "en": "Measure"},
            }
        ],
    },
}


def test_names_are_never_a_fallback() -> None:
    """Brand and company names are the same in every language: no lang="fr", no badge,
    no notice; translate="no" keeps machine translation off them."""
    for kind in ("landing", "privacy", "cookies", "legal_notice"):
        page = _html(BILINGUAL, "en", kind)
        assert page.select_one(".pp-fallback-notice") is None, kind
        assert page.select(".pp-fallback-note") == [], kind
        assert page.select('[lang="fr"]:not([hreflang])') == [], kind  # not the switcher
    h1 = _html(BILINGUAL, "en", "privacy").select_one("h1")
    assert h1 is not None and "Atelier Démo" in h1.get_text() and not h1.select("[lang]")
    names = {n.get_text() for n in _html(BILINGUAL, "en", "privacy").select('[translate="no"]')}
    assert "Stripe Payments Europe" in names and "Carriers" not in names
    cookies = {n.get_text() for n in _html(BILINGUAL, "en", "cookies").select('[translate="no"]')}
    assert {"Google Analytics", "Stripe Payments Europe"} <= cookies


def test_seed_brand_names_are_not_marked_french() -> None:
    data = yaml.safe_load((REPO / "content" / "ozio-france.yaml").read_text(encoding="utf-8"))
    page = _html(data, "en", "privacy")
    marked = {element.get_text(" ", strip=True) for element in page.select('[lang="fr"]')}
    assert not {"Google Analytics", "Facebook"} & marked
    assert {"Google Analytics", "Facebook"} <= {
        n.get_text() for n in page.select('[translate="no"]')
    }


def test_fallback_notice_says_whole_page_or_some_passages() -> None:
    whole = copy.deepcopy(ATELIER)

    def french_only(value: Any) -> Any:
        if isinstance(value, dict):
            if "fr" in value and set(value) <= {"fr", "en"}:
                return value["fr"]
            return {k: french_only(v) for k, v in value.items()}
        if isinstance(value, list):
            return [french_only(v) for v in value]
        return value

    whole = french_only(whole)
    text = _text(whole, "en", "privacy")
    assert (
        "This page is not available in English; it is shown in its original language (French)"
        in text
    )
    assert "Some passages" not in text
    some = _text(ATELIER, "en", "privacy")  # a few French-only fields in atelier
    assert "Some passages of this page are not yet available in English" in some


def test_bodies_keep_line_breaks_and_lists() -> None:
    data = copy.deepcopy(ATELIER)
    data["extra_sections"] = [
        {
            "id": "credits",
            "page": "legal_notice",
            "title": "Crédits",
            "body": "Photos : Jeanne Martin\nDesign : Studio <b>Nord</b>\n\n- Police : Inter\n- Icônes : Lucide",
        }
    ]
    block = _html(data, "fr", "legal_notice").select_one("#extra-credits + .pp-extra")
    assert block is not None
    paragraph = block.select_one("p")
    assert paragraph is not None and len(paragraph.select("br")) == 1
    assert "Studio <b>Nord</b>" in paragraph.get_text()  # still text, never markup
    assert [li.get_text() for li in block.select("ul li")] == ["Police : Inter", "Icônes : Lucide"]


def test_extra_sections_go_where_the_author_says() -> None:
    data = copy.deepcopy(ATELIER)
    data["extra_sections"] = [
        {
            "id": "definitions",
            "title": "Définitions",
            "body": "Donnée : information.",
            "position": "start",
        },
        {"id": "words", "title": "Vocabulaire", "body": "x", "position": {"after": "definitions"}},
        {"id": "before-rights", "title": "Avant", "body": "y", "position": {"before": "rights"}},
        {"id": "after-dpo", "title": "Après", "body": "z", "position": {"after": "dpo"}},
        {"id": "last", "title": "Fin", "body": "w"},
    ]
    markdown = render_page(data, "fr", "privacy").markdown
    anchors = re.findall(r"^## .*\{#([a-z-]+)\}$", markdown, re.MULTILINE)
    assert anchors[:3] == ["extra-definitions", "extra-words", "summary"]
    assert anchors.index("extra-before-rights") + 1 == anchors.index("rights")
    assert anchors.index("extra-after-dpo") == anchors.index("dpo") + 1
    assert anchors[-1] == "extra-last"
    assert "pp-extra " not in markdown.replace('class="pp-block pp-extra"', "")  # no marker left


def test_page_sections_list_matches_the_templates() -> None:
    """privacy_pages.model.sections is what `position` may name: the templates' own H2 anchors."""
    from privacy_pages.model.sections import PAGE_SECTIONS

    templates = REPO / "plugins" / "privacy_pages" / "render" / "templates"
    for page, anchors in PAGE_SECTIONS.items():
        source = (templates / f"{page}.md.j2").read_text(encoding="utf-8")
        found = tuple(re.findall(r'T\.heading\(2, .*?, "([a-z-]+)"\)', source))
        assert found == anchors, page


# -- language of parts (WCAG 3.1.2): every field that holds a plain string only --------------
# A field the schema types as a plain string (no {fr: ..., en: ...} map possible) is shown
# as one of:
#   language  text in the controller's default language: lang="fr" on the English pages,
#             no fallback badge, not counted in the fallback notice (nothing to translate)
#   name      a proper name: translate="no", never a lang
#   as_is     a name, address, number or code printed as written, never a lang
#   hidden    never printed on a page
# Each entry: schema location -> (how it is shown, the value with {} for a word the test
# looks for, where it goes in atelier: by default the location itself, "*" as item 0).
_ADDRESS, _COOKIES = "controller/address/", "cookies/"
PLAIN_FIELDS: dict[str, tuple[str, Any, str | None]] = {
    "/$schema": ("hidden", "{}", None),
    "/meta/version": ("as_is", "{}", None),
    "/meta/source/document": ("hidden", "{}", None),
    "/meta/changelog/*/version": ("as_is", "{}", None),
    "/controller/name": ("as_is", "{}", None),
    "/controller/trade_name": ("as_is", "{}", None),
    "/controller/legal_form": ("language", "{}", None),
    "/controller/regulated_activity/authority": ("language", "Ordre {}", None),
    "/controller/regulated_activity/professional_title": ("language", "Avocat {}", None),
    "/controller/parent_company/name": ("as_is", "{}", None),
    "/controller/parent_company/legal_form": ("as_is", "{}", None),
    "/controller/other_registrations/*/number": ("as_is", "{}", None),
    "/controller/regulated_activities/*/registration_number": ("as_is", "{}", None),
    "/dpo/name": ("language", "Service {}", None),
    "/host/name": ("as_is", "{}", None),
    "/host/legal_form": ("as_is", "{}", None),
    "/creator/name": ("as_is", "{}", None),
    "/creator/legal_form": ("as_is", "{}", None),
    "/commerce/mediator/name": ("as_is", "{}", None),
    "/rights/channels/*/value": (
        "language",
        {"type": "sms", "value": "STOP {}"},
        "rights/channels/0",
    ),
    "/rights/supervisory_authority/name": ("name", "{}", None),
    "/proper_names": ("hidden", ["{}"], None),
    "/suppressions/*/rule": ("hidden", "{}", None),
    "/suppressions/*/reason": ("hidden", "{}", None),
    "#address/recipient": ("as_is", "{}", _ADDRESS + "recipient"),
    "#address/street": ("as_is", "{}", _ADDRESS + "street"),
    "#address/postal_code": ("as_is", "{}", _ADDRESS + "postal_code"),
    "#address/city": ("as_is", "{}", _ADDRESS + "city"),
    "#person/name": ("as_is", "{}", "controller/publication_director/name"),
    "#organisation/name": ("as_is", "{}", "controller/eu_representative/name"),
    "#cookies/consent_manager/name": ("language", "{}", None),
    # Shown as text only when it cannot be a link (a script call the site's banner reads).
    "#cookies/consent_manager/link": ("as_is", "javascript:{}()", None),
    "#cookies/browser_settings/*/browser": ("name", "{}", None),
    "#cookies/opt_out_platforms/*/name": ("name", "{}", None),
    "#cookies/categories/*/providers": ("name", ["{}"], None),
    "#cookies/trackers/*/name": ("as_is", "{}", None),
    "#cookies/trackers/*/provider": ("name", "{}", None),
    "#cookies/trackers/*/domain": ("as_is", "{}", None),
    "#registration/city": ("as_is", "{}", "controller/registration/city"),
    "#registration/number": ("as_is", {"register": "other", "number": "{}"}, "host/registration"),
    "#registration/ape": ("as_is", "{}", "controller/registration/ape"),
    "#company/name": ("as_is", "{}", "creator/name"),
    "#company/legal_form": ("as_is", "{}", "creator/legal_form"),
}


def _data_path(location: str, where: str | None) -> tuple[str | int, ...]:
    """Where a field goes in the data: ``where``, or the location read as a data path."""
    path = where or location.lstrip("/#").replace("*", "0")
    return tuple(int(part) if part.isdigit() else part for part in path.split("/"))


def _plain_string_fields(node: Any, where: str, found: set[str]) -> None:
    """Schema locations of every property that is a plain string (or a list of them) with
    no closed vocabulary or format: the fields no language map can translate."""

    def free_string(schema: Any) -> bool:
        return (
            isinstance(schema, dict)
            and schema.get("type") == "string"
            and not {"enum", "const", "format", "pattern"} & set(schema)
        )

    if not isinstance(node, dict):
        return
    for name, schema in (node.get("properties") or {}).items():
        if free_string(schema) or (
            schema.get("type") == "array" and free_string(schema.get("items"))
        ):
            found.add(f"{where}/{name}")
        _plain_string_fields(schema, f"{where}/{name}", found)
    if isinstance(node.get("items"), dict):
        _plain_string_fields(node["items"], f"{where}/*", found)
    for name, schema in (node.get("$defs") or {}).items():
        _plain_string_fields(schema, f"#{name}", found)


def test_every_plain_string_field_is_classified() -> None:
    """A new string-only field must say how pages show it (and get a lang if it is text)."""
    schema = json.loads((REPO / "schemas" / "controller.schema.json").read_text(encoding="utf-8"))
    found: set[str] = set()
    _plain_string_fields(schema, "", found)
    assert found == set(PLAIN_FIELDS)


def _filled(template: Any, word: str) -> Any:
    if isinstance(template, str):
        return template.format(word)
    if isinstance(template, list):
        return [_filled(item, word) for item in template]
    return {key: _filled(value, word) for key, value in template.items()}


def _with_field(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(ATELIER)
    node: Any = data
    for key, following in itertools.pairwise(path):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(key, int):
            while len(node) <= key:
                node.append(empty)
            node = node[key]
        else:
            node = node.setdefault(key, empty)
    node[path[-1]] = value
    return data


def _occurrences(data: dict[str, Any], lang: str, word: str) -> list[Any]:
    """Every text node holding ``word`` on the pages of ``data`` in ``lang``."""
    nodes = []
    for kind in ("landing", "privacy", "cookies", "legal_notice"):
        nodes += _html(data, lang, kind).find_all(string=re.compile(re.escape(word)))
    return nodes


def _badges_and_notices(data: dict[str, Any], lang: str) -> list[tuple[int, bool]]:
    pages = [_html(data, lang, kind) for kind in ("landing", "privacy", "cookies", "legal_notice")]
    return [
        (len(p.select(".pp-fallback-note")), p.select_one(".pp-fallback-notice") is not None)
        for p in pages
    ]


@pytest.mark.parametrize("location", sorted(PLAIN_FIELDS))
def test_plain_strings_carry_their_language(location: str) -> None:
    shown, template, where = PLAIN_FIELDS[location]
    word = "Zqx" + re.sub(r"[^a-z]", "", location.lower())
    data = _with_field(_data_path(location, where), _filled(template, word))
    english, french = _occurrences(data, "en", word), _occurrences(data, "fr", word)
    if shown == "hidden":
        assert english == [] and french == []
        return
    assert english and french, f"{location} is not shown"
    for node in french:
        assert node.find_parent(attrs={"lang": True}) is None, node.parent
    for node in english:
        marked = node.find_parent(attrs={"lang": True})
        if shown == "language":
            assert marked is not None and marked["lang"] == "fr", node.parent
            assert "pp-fallback" not in (marked.get("class") or []), marked
        else:
            assert marked is None, marked
        if shown == "name":
            assert node.find_parent(attrs={"translate": "no"}) is not None, node.parent
    # Nothing to translate in the file: no badge, and the notice says what it said before.
    assert _badges_and_notices(data, "en") == _badges_and_notices(ATELIER, "en")


def test_page_in_its_language_shows_no_notice_beside_marked_plain_strings() -> None:
    """An English page of a French controller whose prose is all translated: the plain
    strings it shows carry lang="fr", and the page says nothing is missing."""
    data = copy.deepcopy(BILINGUAL)
    data["controller"] = {"name": "Atelier Démo", "legal_form": "SARL"}
    data["dpo"] = {"name": "Délégué à la protection des données", "email": "dpo@example.com"}
    data["cookies"]["consent_manager"] = {"name": "notre bandeau"}
    for kind, word in (("privacy", "SARL"), ("privacy", "Délégué"), ("cookies", "notre bandeau")):
        page = _html(data, "en", kind)
        assert page.select_one(".pp-fallback-notice") is None, kind
        assert page.select(".pp-fallback-note") == [], kind
        node = page.find(string=re.compile(word))
        assert node is not None and node.find_parent(attrs={"lang": True})["lang"] == "fr", word
        assert render_page(data, "en", kind).fallback_languages == frozenset()
    data["proper_names"] = ["notre bandeau"]
    cookies = _html(data, "en", "cookies")
    name = cookies.find(string=re.compile("notre bandeau"))
    assert name is not None and name.find_parent(attrs={"lang": True}) is None
    assert name.find_parent(attrs={"translate": "no"}) is not None


def test_index_marks_a_title_in_another_language() -> None:
    from privacy_pages.render import render_index

    french_only = {**BILINGUAL, "id": "fr-only", "languages": ["fr"]}
    french_only["title"] = {"fr": "Atelier des Lilas"}
    page = BeautifulSoup(markdown_to_html(render_index([french_only], "en")), "html.parser")
    link = page.select_one("a.pp-controller-link span")
    assert link is not None and link["lang"] == "fr" and link.get_text() == "Atelier des Lilas"
    plain = BeautifulSoup(markdown_to_html(render_index([BILINGUAL], "en")), "html.parser")
    assert plain.select("a.pp-controller-link [lang]") == []  # a name: no lang

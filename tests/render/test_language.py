"""Correct French and English around generated values, names that are never "untranslated",
an honest fallback notice, bodies as written, extra sections where the author put them."""

from __future__ import annotations

import copy
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
    """privacy_pages.sections is what `position` may name: the templates' own H2 anchors."""
    from privacy_pages.sections import PAGE_SECTIONS

    templates = REPO / "plugins" / "privacy_pages" / "render" / "templates"
    for page, anchors in PAGE_SECTIONS.items():
        source = (templates / f"{page}.md.j2").read_text(encoding="utf-8")
        found = tuple(re.findall(r'T\.heading\(2, .*?, "([a-z-]+)"\)', source))
        assert found == anchors, page

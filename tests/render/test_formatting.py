"""Durations, dates, retention sentences and the interface catalogues."""

from __future__ import annotations

import pytest

from privacy_pages.i18n import PAGES, catalogue
from privacy_pages.render.context import PageText
from privacy_pages.render.formatting import (
    format_day,
    format_duration,
    format_money,
    format_registration,
)
from privacy_pages.render.layout import Layout

# Fixed vocabulary every catalogue must translate (sentences may fall back to English).
VOCABULARY_GROUPS = (
    "page.privacy",
    "page.cookies",
    "page.legal_notice",
    "legal_basis.",
    "right.",
    "channel.",
    "category.",
    "cookie_basis.",
    "party.",
    "tracker_type.",
    "source.",
    "requirement.",
    "role.",
    "region.",
    "safeguard.",
    "retention.from.",
    "retention.until.",
    "retention.then.",
    "col.",
    "columns.",
    "answer.",
    "session",
)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("P13M", "fr", "13\u00a0mois"),
        ("P3Y", "en", "3 years"),
        ("P1Y6M", "en", "1 year and 6 months"),
        ("P30D", "it", "30 giorni"),
        ("P13M", "de", "13 Monate"),
        ("P6M", "nl", "6 maanden"),
        ("P2Y", "es", "2 años"),
        ("session", "en", "Session (deleted when the browser closes)"),
    ],
)
def test_durations(value: str, lang: str, expected: str) -> None:
    assert format_duration(value, lang) == expected


@pytest.mark.parametrize(
    ("rule", "lang", "expected"),
    [
        (
            {"duration": "P36M", "from": "inactivity", "then": "anonymise"},
            "en",
            "36 months of inactivity, then anonymised",
        ),
        (
            {"duration": "P36M", "from": "inactivity", "then": "anonymise"},
            "fr",
            "36\u00a0mois d’inactivité, puis anonymisées",
        ),
        (
            {"duration": "P5Y", "from": "last_order", "then": "delete"},
            "en",
            "5 years after the last order, then deleted",
        ),
        ({"until": "unsubscription"}, "fr", "jusqu’à votre désinscription"),
        (
            {"duration": "P3Y", "from": "last_contact", "until": "erasure_request"},
            "en",
            "3 years from the last contact or until you ask for erasure if sooner",
        ),
        ({}, "en", "Period not stated"),
    ],
)
def test_retention_sentences(rule: dict[str, str], lang: str, expected: str) -> None:
    assert str(PageText(lang, "fr").retention(rule)) == expected


def test_dates_money_registration() -> None:
    assert format_day("2025-01-01", "fr") == "1 janvier 2025"
    assert format_day("2025-01-01", "en") == "January 1, 2025"
    assert format_money(1000, "EUR", "fr") == "1\u202f000\u00a0€"
    assert format_money(1000, "EUR", "en") == "€1,000"
    assert format_registration({"register": "RCS", "city": "Paris", "siren": "830886362"}) == (
        "RCS Paris 830 886 362"
    )


def test_french_catalogue_is_complete() -> None:
    assert set(catalogue("en")) - set(catalogue("fr")) == set()
    assert set(catalogue("fr")) - set(catalogue("en")) == set()


@pytest.mark.parametrize("lang", [lang for lang in PAGES.languages() if lang not in ("en", "fr")])
def test_other_catalogues_translate_the_fixed_vocabulary(lang: str) -> None:
    english, own = catalogue("en"), catalogue(lang)
    assert set(own) <= set(english), f"{lang}: keys unknown in English: {set(own) - set(english)}"
    wanted = {k for k in english if k.startswith(VOCABULARY_GROUPS)}
    assert wanted - set(own) == set()


def test_missing_interface_string_is_english_with_its_lang() -> None:
    text = PageText("de", "de")
    assert str(text.t("privacy.automated_none")) == (
        '<span lang="en">No decision based solely on automated processing that produces legal '
        "effects concerning you or similarly significantly affects you is made.</span>"
    )


def test_fallback_prose_carries_its_language() -> None:
    text = PageText("en", "fr")
    html = str(text.para({"fr": "Bonjour"}))
    assert html.startswith('<p lang="fr" class="pp-fallback ">Bonjour')
    assert "not translated, shown in French" in html
    assert text.fallback_languages == {"fr"}
    assert str(PageText("fr", "fr").text({"fr": "Bonjour", "en": "Hello"})) == "Bonjour"


@pytest.mark.parametrize(
    ("directory_urls", "source", "target", "expected"),
    [
        (True, "clients/a/fr/cookies/", "clients/a/en/cookies/", "../../en/cookies/"),
        (True, "clients/a/fr/", "clients/a/fr/privacy/", "privacy/"),
        (True, "clients/", "clients/a/en/", "a/en/"),
        (False, "a/fr/cookies.html", "a/en/index.html", "../en/index.html"),
    ],
)
def test_relative_links(directory_urls: bool, source: str, target: str, expected: str) -> None:
    assert Layout("clients", directory_urls).relative(source, target) == expected

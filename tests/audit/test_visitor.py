"""The audit's browser presents itself as the client's visitors' (`privacy_audit.visitor`):
their language with its country, and their time zone, which the report's dates use too."""

from __future__ import annotations

from typing import Any

import pytest

from privacy_audit.settings import CrawlSettings, SettingsError
from privacy_audit.visitor import visitor_locale


@pytest.mark.parametrize(
    ("controller", "zone", "expected"),
    [
        ({"languages": ["fr"]}, None, ("fr-FR", "Europe/Paris")),
        (
            {"languages": ["fr", "en"], "controller": {"address": {"country": "BE"}}},
            None,
            ("fr-BE", "Europe/Brussels"),
        ),
        ({"languages": ["de"]}, None, ("de-DE", "Europe/Berlin")),  # Berlin and Busingen: one time
        ({"languages": ["es"]}, None, ("es-ES", "Europe/Madrid")),  # the Canaries aside
        ({"languages": ["en"]}, None, ("en-US", None)),  # many zones: the machine's
        ({"languages": ["fr"]}, "America/Montreal", ("fr-FR", "America/Montreal")),
        ({}, None, ("en-US", None)),
    ],
)
def test_the_visitor_is_the_controllers(
    controller: dict[str, Any], zone: str | None, expected: tuple[str, str | None]
) -> None:
    assert visitor_locale(controller, zone) == expected


def test_a_locale_option_must_be_a_language_tag() -> None:
    assert CrawlSettings(locale="fr-BE").locale == "fr-BE"
    with pytest.raises(SettingsError, match=r"--locale: 'french' is not a language tag"):
        CrawlSettings(locale="french")

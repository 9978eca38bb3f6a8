"""One catalogue loader for the pages and the audit report: English fallback, CLDR plural forms
(Babel's rules: French says "0 élément", English "0 items")."""

from __future__ import annotations

from pathlib import Path

import pytest

from privacy_audit import i18n as audit_i18n
from privacy_pages.i18n import PAGES, Catalogues, MissingText


@pytest.fixture
def catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Catalogues:
    package = tmp_path / "demo_catalogues"
    (package / "locales").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "locales" / "en.yaml").write_text(
        'items:\n  one: "{n} item"\n  other: "{n} items"\nonly_en: "English"\n', encoding="utf-8"
    )
    (package / "locales" / "fr.yaml").write_text(
        'items:\n  one: "{n} élément"\n  other: "{n} éléments"\n', encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return Catalogues("demo_catalogues")


@pytest.mark.parametrize(
    ("lang", "n", "said"),
    [
        ("en", 0, "0 items"),
        ("en", 1, "1 item"),
        ("fr", 0, "0 élément"),  # French: 0 and 1 are "one"
        ("fr", 1, "1 élément"),
        ("fr", 2, "2 éléments"),
        ("de", 1, "1 item"),  # no German catalogue: English, by English rules
    ],
)
def test_plural_forms_follow_the_language(
    catalogues: Catalogues, lang: str, n: int, said: str
) -> None:
    assert catalogues.translate("items", lang, n=n) == said


def test_fallback_and_missing_keys(catalogues: Catalogues) -> None:
    assert catalogues.translate("only_en", "fr") == "English"
    assert catalogues.text_lang("only_en", "fr") == "en"
    assert catalogues.text_lang("items.one", "fr") == "fr"
    assert catalogues.languages() == ("en", "fr")
    with pytest.raises(MissingText):
        catalogues.translate("nowhere", "fr")


def test_the_pages_and_the_audit_report_share_the_loader() -> None:
    assert isinstance(audit_i18n.CATALOGUES, Catalogues)
    assert audit_i18n.translate is not None and audit_i18n.MissingText is MissingText
    assert audit_i18n.CATALOGUES.package == "privacy_audit"
    assert PAGES.package == "privacy_pages.render"
    assert {"en", "fr", "de"} <= set(PAGES.languages())
    assert set(audit_i18n.LANGUAGES) <= set(audit_i18n.CATALOGUES.languages())
    assert audit_i18n.translate("report.fails", "fr", n=1) != audit_i18n.translate(
        "report.fails", "en", n=1
    )

"""Every diagnostic message and hint in French and English (issue 18 §4).

The rules write English; `privacy_pages.rules.messages` says each message and hint in the
other languages from the catalogues `rules/locales/<lang>.yaml`. These tests hold the
catalogues to each other, and every message the test data produce (each rule's cases, the
seeds, the model files, the corpus, the render fixtures) to a template in every language.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from privacy_pages.check import CheckOptions, run_check
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.rules.messages import LANGUAGES, SOURCE_LANGUAGE, catalogue, say, say_text

from .conftest import case_day, generated_file, rule_cases

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [
    "content",
    "tests/data/model",
    "tests/data/corpus/documents",
    "tests/data/render",
    "tests/data/check",
]
SECTIONS = ("messages", "hints", "report")


def _fields(template: object) -> set[str]:
    texts = template.values() if isinstance(template, dict) else [template]
    return {
        field.partition("|")[0]
        for text in texts
        for _, field, _, _ in string.Formatter().parse(str(text))
        if field is not None
    }


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])
def test_catalogues_hold_the_same_keys_and_placeholders(lang: str) -> None:
    source, target = catalogue(SOURCE_LANGUAGE), catalogue(lang)
    for section in SECTIONS:
        assert set(target[section]) == set(source[section]), section
        for key, template in source[section].items():
            assert _fields(target[section][key]) == _fields(template), f"{section}.{key}"
    for name, words in source["vocabulary"].items():
        assert set(target["vocabulary"][name]) == set(words), name
    assert set(target["joins"]) == set(source["joins"])


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> list[Diagnostic]:
    """Every diagnostic the test data produce."""
    found: list[Diagnostic] = []
    root = tmp_path_factory.mktemp("cases")
    for index, (_, case) in enumerate(rule_cases()):
        folder = root / f"case-{index}"
        folder.mkdir()
        if "generate" in case:
            generated_file(case["generate"], folder)
        else:
            (folder / "controller.yaml").write_text(case["yaml"], encoding="utf-8")
        for other, text in enumerate(case.get("others", [])):
            (folder / f"0-other-{other}.yaml").write_text(text, encoding="utf-8")
        found += run_check([folder], CheckOptions(as_of=case_day(case))).diagnostics
    for name in FOLDERS:
        found += run_check([ROOT / name], CheckOptions()).diagnostics
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_and_hint_is_said_in_every_language(
    produced: list[Diagnostic], lang: str
) -> None:
    unsaid = sorted(
        {
            f"{d.rule} {what}: {text}"
            for d in produced
            for what, text in (("messages", d.message), ("hints", d.hint))
            if text and say_text(what, d.rule, text, lang) is None
        }
    )
    assert len({d.rule for d in produced}) > 60
    assert not unsaid, "\n".join(unsaid)


def _diagnostic(rule: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(rule, Severity.WARNING, "x.yaml", 1, 1, message, hint=hint)


def test_values_and_words_are_carried_over() -> None:
    diagnostic = _diagnostic(
        "CK009",
        "tracker '_ga' lacks purpose, lifetime, party or provider",
        "add purpose, lifetime, party or provider",
    )
    said = say(diagnostic, "fr")
    assert (
        said.message
        == "il manque au traceur '_ga' : finalité, durée de vie, dépositaire ou fournisseur"
    )
    assert said.hint == "ajoutez : finalité, durée de vie, dépositaire ou fournisseur"
    assert said.message_lang == said.hint_lang == "fr"
    assert say_text(
        "messages", "PN011", "rights not explained: restriction, portability", "fr"
    ) == ("droits non expliqués : limitation, portabilité")
    assert say_text("messages", "LN010", "the host's address, phone are missing", "fr") == (
        "il manque à l’hébergeur : adresse, téléphone"
    )


def test_an_unknown_message_stays_english() -> None:
    diagnostic = _diagnostic("PN002", "a message no catalogue knows")
    said = say(diagnostic, "fr")
    assert (said.message, said.message_lang) == ("a message no catalogue knows", "en")
    assert say(diagnostic, "de").message_lang == "en"  # no German catalogue


def test_check_speaks_french_on_request(cli) -> None:
    result = cli(
        "check",
        str(ROOT / "tests/data/corpus/documents/jules-confidentialite.yaml"),
        "--lang",
        "fr",
    )
    assert result.code == 1, result
    assert "ajoutez rights.response_time" in result.out
    assert "conseil :" in result.out and "hint:" not in result.out
    assert result.out.rstrip().endswith("1 fichier vérifié : 3 erreurs, 0 avertissement, 2 info")


def test_plural_rules_without_babel_are_babels() -> None:
    """The slim install (no Babel) counts files with the same CLDR rules."""
    from babel import Locale

    from privacy_pages.rules.messages import _PLURAL_RULES

    assert set(_PLURAL_RULES) == set(LANGUAGES)
    for lang, rule in _PLURAL_RULES.items():
        for n in (0, 1, 1.5, 2, 3, 10, 21, 100, 1000):
            assert rule(n) == Locale.parse(lang).plural_form(n), (lang, n)

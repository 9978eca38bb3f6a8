"""The whole-file shortcut of `Controller.texts_where` answers as the per-text test would."""

from __future__ import annotations

from pathlib import Path

import pytest

from privacy_pages.model import Controller
from privacy_pages.model.content import load_controller
from privacy_pages.model.texts import SEARCHED_WHOLE, all_prose

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [
    "Vous pouvez vous inscrire sur la liste Bloctel.",
    "la liste d'opposition au démarchage téléphonique",
    "Plateforme RLL : https://ec.europa.eu/consumers/odr/",
    "https://webgate.ec.europa.eu/odr/main/?event=main.home.show",
    {"fr": "En utilisant ce site, vous acceptez le traitement de vos données.", "en": "x"},
    "By continuing to browse this site, you agree to our use of data.",
    "En acceptant nos CGU, vous consentez au traitement de vos données.",
    "En communiquant vos données personnelles, vous acceptez leur traitement.",
    "By providing your personal data, you consent to their processing.",
    "Nothing here.",
]
FILES = sorted((ROOT / "tests" / "data" / "corpus" / "documents").glob("*.yaml")) + sorted(
    (ROOT / "content").glob("*.yaml")
)


@pytest.mark.parametrize("predicate", list(SEARCHED_WHOLE), ids=lambda p: p.__name__)
def test_the_whole_text_holds_wherever_the_predicate_does(predicate) -> None:
    whole = SEARCHED_WHOLE[predicate]
    assert any(predicate(s) for s in SAMPLES), "a sample the predicate holds for"
    for sample in SAMPLES:
        if predicate(sample):
            assert whole(all_prose([sample])), sample


def test_files_get_the_same_pointers_with_and_without_the_shortcut() -> None:
    for path in FILES:
        view = Controller.from_document(load_controller(path))
        for predicate in SEARCHED_WHOLE:
            expected = [p for p, v in view.texts() if predicate(v)]
            assert view.texts_where(predicate) == expected, (path.name, predicate.__name__)

"""Fixed page sentences that state the law cite dated sources; an outdated one never shows."""

from __future__ import annotations

import datetime
import re

import pytest

from privacy_pages.model.content import require_controller
from privacy_pages.render import render_pages
from privacy_pages.render.cited import CITED, OutdatedSentence
from privacy_pages.render.context import PageText
from privacy_pages.i18n import catalogue
from privacy_pages.rules.sources import Law

from .conftest import DATA

# A catalogue string naming a text or an article states the law: it must cite its sources.
NAMES_THE_LAW = re.compile(
    r"\bart\.|\barticle\b|\brgpd\b|\bgdpr\b|\blcen\b|règlement sur|\bdirective\b"
    r"|\bregulation\b|\bloi n|digital services act",
    re.IGNORECASE,
)
BEFORE, AFTER = datetime.date(2026, 8, 10), datetime.date(2026, 8, 11)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_cited_sentence_exists(lang: str) -> None:
    missing = sorted(key for key in CITED if key not in catalogue(lang))
    assert not missing, f"cited.yaml names sentences the {lang} catalogue lacks: {missing}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sentences_naming_the_law_are_cited(lang: str) -> None:
    uncited = sorted(
        key
        for key, text in catalogue(lang).items()
        if NAMES_THE_LAW.search(text) and key not in CITED
    )
    assert not uncited, f"{lang} sentences that state the law without a source: {uncited}"


def test_an_outdated_sentence_is_refused() -> None:
    text = PageText("fr", "fr", law=Law(AFTER))
    assert not text.in_force("privacy.bloctel")
    with pytest.raises(
        OutdatedSentence, match="privacy.bloctel states law not in force on 2026-08-11"
    ):
        text.t("privacy.bloctel")
    assert PageText("fr", "fr", law=Law(BEFORE)).t("privacy.bloctel") == (
        "Démarchage téléphonique (Bloctel)"
    )


def _pages(day: datetime.date) -> dict[str, str]:
    data = dict(require_controller(DATA / "atelier.yaml").data)
    data["national"] = {**data["national"], "bloctel": "Inscrivez-vous sur www.bloctel.gouv.fr."}
    return {f"{p.lang}/{p.kind}": p.markdown for p in render_pages(data, as_of=day)}


def test_the_bloctel_heading_ends_on_11_august_2026() -> None:
    """A file that still has a Bloctel sentence: its words stay (check reports them), but
    our own heading stops presenting Bloctel as the law from the day it is not."""
    before, after = _pages(BEFORE), _pages(AFTER)
    assert "<strong>Démarchage téléphonique (Bloctel)</strong>" in before["fr/privacy"]
    assert "<strong>Telephone canvassing (Bloctel)</strong>" in before["en/privacy"]
    assert not any("(Bloctel)</strong>" in page for page in after.values())
    assert "<strong>Démarchage téléphonique</strong>" in after["fr/privacy"]
    assert "accord préalable, sauf contrat en cours" in after["fr/privacy"]


@pytest.mark.parametrize("command", ["build", "export"])
def test_a_bad_as_of_day_is_one_line(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    from privacy_pages.cli import main

    args = [command, "--as-of", "2026-13-01"]
    if command == "export":
        args.insert(1, str(DATA / "atelier.yaml"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"privacy-pages {command}: error: --as-of: '2026-13-01' is not a date; write YYYY-MM-DD,"
        " e.g. 2026-08-11"
    )

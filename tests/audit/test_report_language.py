"""The HTML report in each language: English byte-identical (golden), French with no English.

The catalogues (`privacy_audit/locales/*.yaml`) are checked key by key; the French report of
every recorded fixture must contain none of the English catalogue's sentences. Regenerate
the English golden files after an intended change with ``UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from markupsafe import escape as html_escape

from privacy_audit.analyze import inspect
from privacy_audit.analyze.suppressions import apply_suppressions
from privacy_audit.consent.controls import describe
from privacy_audit.history.diff import since_last_audit
from privacy_audit.i18n import FALLBACK, LANGUAGES, RULE_DOC_FIELDS, Text, catalogue, text
from privacy_audit.observations import (
    Observations,
    PageVisit,
    add_note,
    banner_detail,
    described,
    page_error,
    set_error,
)
from privacy_audit.report.write import write_reports
from privacy_audit.rules import RULES

from ..conftest import assert_golden
from . import inspect_fixtures as fx
from .test_report import redact_styles

FIXTURES = [("shop-bad", "shop"), ("shop-good", "shop"), ("bad-site-recorded", "bad-shop")]
GOLDEN = fx.DATA / "golden"
AGENCY = "Agence <Exemple> & fils"


def _recorded(name: str) -> Observations:
    return Observations.from_json((fx.DATA / "observations" / f"{name}.json").read_text("utf-8"))


def render(out: Path, name: str, controller_name: str, lang: str) -> str:
    """The HTML report of a recorded fixture, compared with the shop-good run before it."""
    previous = out / "previous"
    good = _recorded("shop-good")
    controller = fx.controller(controller_name)
    knowledge = fx.builtin_knowledge()
    write_reports(previous, good, inspect(good, controller, knowledge), "json", controller)
    observations = _recorded(name)
    findings = inspect(observations, controller, knowledge)
    written = write_reports(
        out / lang,
        observations,
        findings,
        "html",
        controller,
        knowledge=knowledge,
        generated_at="2026-11-29T10:00:00Z",
        tool_version="0.0.0",
        since_last=since_last_audit(previous / "report.json", observations, findings),
        presentation={"lang": lang, "agency_name": AGENCY, **_sites(name, observations)},
    )
    return _redact(written["html"].read_text(encoding="utf-8"))


def _sites(name: str, observations: Observations) -> dict[str, Any]:
    """One fixture is one of two websites of its controller: the report says so."""
    if name != "bad-site-recorded":
        return {}
    target = observations.target_url
    return {"sites": [target, "https://blog.example.fr/"], "site": target}


def _redact(text: str) -> str:
    return re.sub(r"(Compared with the audit of |Comparé à l’audit du )[^<.]+", r"\1<time>", text)


def test_english_report_is_unchanged(tmp_path: Path) -> None:
    """The richest fixture (every part of the report); test_report.py has the plain one."""
    name = "bad-site-recorded"
    actual = render(tmp_path, name, "bad-shop", "en")
    assert_golden(redact_styles(actual), GOLDEN / f"{name}.en.report.html")


# --- the catalogues -------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)\}")
FEW_WORDS = 4
"""An English text of at least this many words must never show in another language."""


def _keys(lang: str) -> dict[str, str]:
    return {k: v for k, v in catalogue(lang).items() if not k.startswith("rule_doc.")}


def _plural_base(key: str) -> str:
    return key.rsplit(".", 1)[0] if key.endswith((".one", ".other")) else key


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != FALLBACK])
def test_every_key_in_every_language(lang: str) -> None:
    english, other = _keys(FALLBACK), _keys(lang)
    assert sorted(set(english) - set(other)) == [], f"missing in {lang}"
    assert sorted(set(other) - set(english)) == [], f"unknown in {lang} (not in English)"
    for key in english:
        base = _plural_base(key)
        assert set(PLACEHOLDER.findall(other[key])) <= {
            name
            for k, v in english.items()
            if _plural_base(k) == base
            for name in PLACEHOLDER.findall(v)
        }, key
    docs = {k for k in catalogue(lang) if k.startswith("rule_doc.")}
    expected = {f"rule_doc.{rule.id}.{field}" for rule in RULES for field in RULE_DOC_FIELDS}
    assert docs == expected


def _english_sentences() -> list[str]:
    """Every English text of ours of a few words or more: catalogue fragments, rule docs."""
    fragments = []
    for sentence in _keys(FALLBACK).values():
        fragments += [part.strip(" :;,.()'") for part in PLACEHOLDER.split(sentence)[::2]]
    for rule in RULES:
        sections = rule.sections()
        fragments += [rule.summary, *(sections[h] for h in RULE_DOC_FIELDS.values() if h)]
    return sorted({f for f in fragments if len(f.split()) >= FEW_WORDS})


def _visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    texts = [soup.get_text(" ")] + [str(tag.get("alt")) for tag in soup.select("[alt]")]
    return " ".join(" ".join(texts).split())


def _no_english(html: str) -> None:
    shown = _visible_text(html)
    found = [s for s in _english_sentences() if " ".join(s.split()) in shown]
    assert found == [], found


@pytest.mark.parametrize(("name", "controller_name"), FIXTURES)
def test_french_report_has_no_english_sentence_of_ours(
    tmp_path: Path, name: str, controller_name: str
) -> None:
    html = render(tmp_path, name, controller_name, "fr")
    assert '<html lang="fr">' in html
    _no_english(html)
    shown = _visible_text(html)
    for phase in _recorded(name).phases:  # the crawler's sentences, said in French
        sentence = banner_detail(phase.banner) if phase.banner else None
        if isinstance(sentence, Text):
            assert phase.banner and phase.banner.detail not in shown
            assert sentence.render("fr") in shown
    assert "Synthèse" in html and "Agence &lt;Exemple&gt; &amp; fils" in html


def _rule_cases() -> list[Any]:
    cases = []
    for path in sorted((fx.DATA / "rules").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            controller = case.get("controller", spec.get("controller"))
            cases.append(pytest.param(controller, case, id=f"{path.stem}-{case['name']}"))
    return cases


@pytest.mark.parametrize(("controller_spec", "case"), _rule_cases())
def test_every_finding_of_every_rule_case_is_said_in_french(
    tmp_path: Path, controller_spec: Any, case: dict[str, Any]
) -> None:
    """Every message and hint of every rule, each fault and note of ours, in French."""
    controller = fx.controller(controller_spec) if isinstance(controller_spec, str) else None
    controller = controller or controller_spec
    observations = fx.build_observations(case["observations"])
    findings = inspect(observations, controller, fx.builtin_knowledge())
    written = write_reports(
        tmp_path,
        observations,
        findings,
        "html",
        controller,
        knowledge=fx.builtin_knowledge(),
        presentation={"lang": "fr"},
    )
    html = written["html"].read_text(encoding="utf-8")
    _no_english(html)
    for finding in findings:
        assert finding.text is not None and finding.text.render() == finding.message


def test_an_incomplete_run_and_its_suppressions_in_french(tmp_path: Path) -> None:
    """The faults of an unobserved phase and the accepted findings: our words, in French."""
    down = {"url": fx.TARGET, "status": None, "error": "net::ERR_CONNECTION_REFUSED"}
    observations = fx.build_observations(
        {
            "phases": [
                {"phase": "before-consent", "pages": [down]},
                {"phase": "after-accept", "cookies": [{"name": "_hjid", "domain": "example.fr"}]},
            ]
        }
    )
    controller = {**fx.controller("shop"), "suppressions": [{"rule": "DC01", "reason": "vu"}]}
    findings = apply_suppressions(inspect(observations, controller, None), controller)
    assert any(f.suppressed for f in findings)
    written = write_reports(
        tmp_path, observations, findings, "html", controller, presentation={"lang": "fr"}
    )
    html = written["html"].read_text(encoding="utf-8")
    _no_english(html)
    shown = _visible_text(html)
    assert "avant consentement : aucune page du site n’a pu être chargée" in shown
    assert "Les suppressions du fichier du responsable acceptent ces constats" in shown
    assert "<code>suppressions</code>" in html


# --- the banner's detail: a sentence of the crawler, said again in the report's language -------


def _controls(refuse: str | None, accept: str | None) -> Any:
    return SimpleNamespace(refuse=refuse, accept=accept)


_SEEN = describe([_controls(None, None), _controls("tout refuser", "ok")])
BANNER_SENTENCES = [
    # (sentence as consent.py / collect.py build it, the English the crawler always wrote)
    (text("banner_detail.no_banner"), "no consent banner found"),
    (
        describe([_controls(None, "tout accepter")]),
        "first layer: no refuse button, accept 'tout accepter'",
    ),
    (
        describe([_controls("refuser", None)]),
        "first layer: refuse 'refuser', no accept button",
    ),
    (
        text("banner_detail.unanswered", seen=_SEEN),
        "banner left unanswered; first layer: refuse 'tout refuser', accept 'ok'",
    ),
    (
        text("banner_detail.autoconsent_refused", cmp=repr("Didomi"), seen=_SEEN),
        (
            "refused through autoconsent rule 'Didomi'; "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text("banner_detail.autoconsent_accepted", cmp=repr("Didomi"), seen=_SEEN),
        (
            "accepted through autoconsent rule 'Didomi'; "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text(
            "banner_detail.clicked_stayed",
            labels="'personnaliser' → 'enregistrer'",
            layers=text("banner_detail.second_layer"),
            seen=_SEEN,
        ),
        (
            "clicked 'personnaliser' → 'enregistrer' (second layer), banner stayed; "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text("banner_detail.clicked", labels="'ok'", layers="", seen=_SEEN),
        "clicked 'ok'; first layer: refuse 'tout refuser', accept 'ok'",
    ),
    (
        text(
            "banner_detail.autoconsent_failed",
            cmp=repr("Didomi"),
            rest=text("banner_detail.no_accept_option", seen=_SEEN),
        ),
        (
            "autoconsent rule 'Didomi' failed; no accept option found; "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text("banner_detail.no_refuse_option", seen=_SEEN),
        "no refuse option found; first layer: refuse 'tout refuser', accept 'ok'",
    ),
    (
        text("banner_detail.click_unconfirmed", label=repr("ok"), seen=_SEEN),
        (
            "found 'ok', but clicking it showed no effect (nothing stored, no request, the "
            "control still shown); first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text("banner_detail.not_examined", reason=text("banner_detail.page_not_loaded")),
        "banner not examined: the page did not load",
    ),
    (
        text("banner_detail.not_examined", reason="net::ERR_CONNECTION_REFUSED"),
        "banner not examined: net::ERR_CONNECTION_REFUSED",
    ),
    (text("banner_detail.closed_with", label=repr("✕")), "closed with '✕'"),
    (text("banner_detail.no_close_control"), "no close control found"),
    (
        text("banner_detail.autoconsent_refused_markup", cmp=repr("cookieconsent"), seen=_SEEN),
        (
            "refused through an autoconsent rule matching its markup; "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text("banner_detail.autoconsent_accepted_markup", cmp=repr("cookieconsent"), seen=_SEEN),
        (
            "accepted through an autoconsent rule matching its markup; "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text(
            "banner_detail.undecided",
            choice=text("banner_detail.undecided_refuse"),
            labels="'accepter ou refuser'",
            seen=_SEEN,
        ),
        (
            "could not decide which control refuses: 'accepter ou refuser' (nothing clicked); "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text("banner_detail.undecided_accept"),
        "accepts",
    ),
    (
        text(
            "banner_detail.wall_first_layer",
            offer=repr("je m'abonne"),
            price=text("banner_detail.price", price="2 €"),
            seen=_SEEN,
        ),
        (
            'no free way to refuse: the banner offers "je m\'abonne" (2 €) instead; '
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
    (
        text(
            "banner_detail.wall_after_refusal",
            labels="'refuser'",
            offer=repr("s'abonner"),
            price="",
            seen=_SEEN,
        ),
        (
            "clicked 'refuser': refusing leads to a paid offer, \"s'abonner\"; "
            "first layer: refuse 'tout refuser', accept 'ok'"
        ),
    ),
]


def _keys_of(sentence: Text) -> set[str]:
    nested = (_keys_of(v) for _, v in sentence.values if isinstance(v, Text))
    return {sentence.key}.union(*nested)


def test_banner_sentences_say_the_crawlers_english_and_every_key_is_used() -> None:
    """The English detail is what the crawler wrote before it kept sentences (JSON, goldens)."""
    for sentence, english in BANNER_SENTENCES:
        assert described(sentence)["detail"] == english
        french = sentence.render("fr")
        assert french != english and not any(
            s in french for s in _english_sentences() if s.startswith(("no ", "banner", "the "))
        ), french
    used = set().union(*(_keys_of(sentence) for sentence, _ in BANNER_SENTENCES))
    assert used == {k for k in catalogue(FALLBACK) if k.startswith("banner_detail.")}


def _banner_observations(**banner: Any) -> Observations:
    """One refusal whose click failed: the summary names it, with the banner's detail."""
    return fx.build_observations(
        {
            "phases": [
                {
                    "phase": "after-reject",
                    "banner": {"detected": True, "action": "reject", "method": "none", **banner},
                }
            ]
        }
    )


def _failed_click() -> dict[str, Any]:
    sentence = text("banner_detail.clicked_stayed", labels="'<refuser>'", layers="", seen=_SEEN)
    return described(sentence)


def _french_html(tmp_path: Path, observations: Observations) -> str:
    findings = inspect(observations, fx.controller("shop"), None)
    written = write_reports(
        tmp_path, observations, findings, "html", fx.controller("shop"), presentation={"lang": "fr"}
    )
    return written["html"].read_text(encoding="utf-8")


def test_banner_detail_in_french_in_the_banner_and_the_summary(tmp_path: Path) -> None:
    """Labels read from the site are shown as they are, escaped; the rest is French."""
    html = _french_html(tmp_path, _banner_observations(**_failed_click()))
    _no_english(html)
    french = (
        "clic sur '<refuser>', le bandeau est resté affiché ; premier niveau : "
        "bouton de refus 'tout refuser', bouton d’acceptation 'ok'"
    )
    assert _visible_text(html).count(french) == 2  # the summary's failure and the Détail
    assert html.count("&#39;&lt;refuser&gt;&#39;") == 2 and "<refuser>" not in html


def test_observations_keep_the_banner_sentence_and_old_files_still_render(
    tmp_path: Path,
) -> None:
    """observations.json round trip with the sentence; a file written before it, or with a
    sentence this version cannot say, shows the English detail as it is, never a traceback."""
    recorded = _recorded("bad-site-recorded")
    again = Observations.from_json(recorded.to_json())
    assert again == recorded
    assert all(p.banner and isinstance(banner_detail(p.banner), Text) for p in again.phases)
    old = _banner_observations(detail=_failed_click()["detail"])
    assert old.phases[0].banner and old.phases[0].banner.detail_text is None
    assert Observations.from_json(old.to_json()) == old
    unknown = {"key": "banner_detail.from_a_newer_version", "values": {}}
    wrong = {**_failed_click()["detail_text"], "values": {}}
    for index, banner in enumerate(({}, {"detail_text": unknown}, {"detail_text": wrong})):
        observations = _banner_observations(detail=_failed_click()["detail"], **banner)
        assert banner_detail(observations.phases[0].banner) == _failed_click()["detail"]
        html = _french_html(tmp_path / str(index), observations)
        assert _visible_text(html).count("clicked '<refuser>', banner stayed") == 2


def test_the_json_report_keeps_the_english_detail_only(tmp_path: Path) -> None:
    observations = _recorded("bad-site-recorded")
    written = write_reports(tmp_path, observations, [], "json", fx.controller("bad-shop"))
    report = json.loads(written["json"].read_text(encoding="utf-8"))
    banners = [p["banner"] for p in report["observations"]["phases"]]
    assert [b["detail"] for b in banners] == [p.banner.detail for p in observations.phases]
    assert all("detail_text" not in b for b in banners)


# --- the crawler's notes: the ones of ours a client reads are said in the report's language ---


def _noted(*others: str) -> Observations:
    observations = _banner_observations(**_failed_click())
    add_note(observations.phases[0], text("note.budget_exhausted"))
    add_note(observations.phases[0], text("note.pages_not_visited", n=3))
    observations.phases[0].notes.extend(others)
    return Observations.from_json(observations.to_json())  # as read back from the file


def test_the_budget_note_is_said_in_french_the_others_as_they_are(tmp_path: Path) -> None:
    observations = _noted()
    phase = observations.phases[0]
    assert phase.notes == [
        "time budget exhausted: the phase was stopped",
        "time budget exhausted: 3 pages not visited in this phase",
    ]
    html = _french_html(tmp_path / "ours", observations)
    _no_english(html)
    assert "<h3>Notes du robot (2)</h3>" in html
    assert "<li>budget de temps épuisé : la phase a été arrêtée</li>" in html
    assert "<li>budget de temps épuisé : 3 pages non visitées dans cette phase</li>" in html
    html = _french_html(tmp_path / "mixed", _noted("could not click 'ok': Timeout <3000ms>"))
    assert "<h3>Notes du robot (3, en anglais)</h3>" in html
    assert "<li>could not click &#39;ok&#39;: Timeout &lt;3000ms&gt;</li>" in html
    old = _noted()
    old.phases[0].note_texts.clear()  # a file written before notes were sentences
    html = _french_html(tmp_path / "old", old)
    assert "<li>time budget exhausted: the phase was stopped</li>" in html
    assert "<h3>Notes du robot (2, en anglais)</h3>" in html


def test_notes_kept_as_sentences_change_nothing_in_english(tmp_path: Path) -> None:
    controller = fx.controller("shop")
    pages = []
    for index, observations in enumerate((_noted("a note"), _noted("a note"))):
        if index:
            observations.phases[0].note_texts.clear()
            observations.phases[0].banner.detail_text = None  # type: ignore[union-attr]
        findings = inspect(observations, controller, None)
        written = write_reports(
            tmp_path / str(index),
            observations,
            findings,
            "html",
            controller,
            generated_at="2026-11-29T10:00:00Z",
        )
        pages.append(written["html"].read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert "<h3>Crawler notes (3)</h3>" in pages[0]
    assert "<li>time budget exhausted: 3 pages not visited in this phase</li>" in pages[0]
    assert "<li>time budget exhausted: the phase was stopped</li>" in pages[0]


# --- a page's error: ours said in the report's language, the browser's own as it is ----------

_TIMEOUT = text("page_error.timeout", seconds="30")
_BUDGET = text("page_error.budget", budget="600", seconds="12")
PAGE_ERRORS = [
    # (sentence as the crawler builds it, its kind, the English the crawler always wrote)
    (_TIMEOUT, "timeout", "the page did not finish within 30 s"),
    (
        _BUDGET,
        "budget",
        "cut short by the audit's time budget (--budget 600 s) after 12 s on this page",
    ),
    (
        text("page_error.before", error=_BUDGET, before=_TIMEOUT),
        "budget",
        (
            "cut short by the audit's time budget (--budget 600 s) after 12 s on this page; "
            "before that: the page did not finish within 30 s"
        ),
    ),
    (
        text(
            "page_error.nothing_read",
            error=_TIMEOUT,
            reason=text("page_error.read_timed_out"),
        ),
        "timeout",
        "the page did not finish within 30 s (nothing read: timed out)",
    ),
    (text("page_error.crashed"), "crash", "the tab crashed while loading the page"),
    (text("page_error.http", status=503), "http", "HTTP 503"),
    (
        text("page_error.blocked", service="Cloudflare", seconds="20"),
        "blocked",
        (
            "the site's bot protection (Cloudflare) showed a challenge instead of the page and "
            "did not let the browser through within 20 s: allow the audit through "
            "(--user-agent-tag names it in its User-Agent)"
        ),
    ),
]
BROWSER_ERROR = "net::ERR_NAME_NOT_RESOLVED at https://<shop>.example.fr/"


def _faulty(errors: list[tuple[Text | str, str]]) -> Observations:
    """A phase whose landing page failed with the first error, its other pages with the rest,
    read back from the file as a report reads it."""
    pages = []
    for index, (error, kind) in enumerate(errors):
        page = PageVisit(f"{fx.TARGET}p{index}", None, None, None, None)
        set_error(page, error, kind)
        pages.append(dataclasses.asdict(page))
    observations = fx.build_observations({"phases": [{"phase": "after-reject", "pages": pages}]})
    return Observations.from_json(observations.to_json())


def test_page_errors_say_the_crawlers_english_and_every_key_is_used() -> None:
    for sentence, kind, english in PAGE_ERRORS:
        page = _faulty([(sentence, kind)]).phases[0].pages[0]
        assert page.error == english and page.error_kind == kind
        assert page_error(page) == sentence
        assert sentence.render("fr") != english or english.startswith("HTTP ")
    used = set().union(*(_keys_of(sentence) for sentence, _, _ in PAGE_ERRORS))
    assert used == {k for k in catalogue(FALLBACK) if k.startswith("page_error.")}
    kinds = {k.split(".")[1] for k in catalogue(FALLBACK) if k.startswith("error_kind.")}
    assert {kind for _, kind, _ in PAGE_ERRORS} | {"unreachable"} <= kinds


def test_page_errors_in_french_the_browsers_own_marked_english(tmp_path: Path) -> None:
    """The fault list and the verdict's reasons: the kind and our sentences in French; a
    message of the browser is shown as it is, escaped, in an element marked ``lang="en"``."""
    errors = [(BROWSER_ERROR, "unreachable")] + [(s, kind) for s, kind, _ in PAGE_ERRORS]
    html = _french_html(tmp_path, _faulty(errors))
    _no_english(html)
    shown = _visible_text(html)
    for sentence, _, _ in PAGE_ERRORS:
        assert " ".join(sentence.render("fr").split()) in shown, sentence.render("fr")
    for label in ("site injoignable", "délai dépassé", "budget de temps", "onglet planté"):
        assert f": {label}, " in shown, label
    assert "protection anti-robots, la protection anti-robots du site (Cloudflare)" in shown
    escaped = "net::ERR_NAME_NOT_RESOLVED at https://&lt;shop&gt;.example.fr/"
    assert f'site injoignable, <span lang="en">{escaped}</span>' in html
    assert "<shop>" not in html
    # No page answered: the run is incomplete, and says why in French, the reason included.
    assert "après refus : aucune page du site n’a pu être chargée (net::ERR_NAME_NOT" in shown
    budget_first = _faulty([(_BUDGET, "budget"), (BROWSER_ERROR, "unreachable")])
    budget_first.phases[0].pages[1].status = 200  # a page answered: the landing page failed
    shown = _visible_text(_french_html(tmp_path / "landing", budget_first))
    assert f"la page d’accueil a échoué ({_BUDGET.render('fr')})" in shown


def test_page_errors_in_english_are_what_they_were(tmp_path: Path) -> None:
    errors = [(sentence, kind) for sentence, kind, _ in PAGE_ERRORS]
    findings = inspect(_faulty(errors), fx.controller("shop"), None)
    written = write_reports(tmp_path, _faulty(errors), findings, "html", fx.controller("shop"))
    html = written["html"].read_text(encoding="utf-8")
    for _, _, english in PAGE_ERRORS:
        assert html_escape(english) in html, english
    assert "timed out, the page did not finish within 30 s" in _visible_text(html)
    assert "<span lang=" not in html


def test_a_page_error_from_an_older_file_or_version_is_said_as_it_is(tmp_path: Path) -> None:
    observations = _faulty([(_TIMEOUT, "timeout"), (_TIMEOUT, "timeout"), (_TIMEOUT, "mystery")])
    old, unknown, odd = observations.phases[0].pages
    old.error_text = None  # written before errors were sentences
    unknown.error_text = {"key": "page_error.from_a_newer_version", "values": {}}
    for page in (old, unknown):
        assert page_error(page) == "the page did not finish within 30 s"
    html = _french_html(tmp_path, observations)
    shown = _visible_text(html)
    assert shown.count("délai dépassé, the page did not finish within 30 s") == 2
    assert "erreur, la page n’a pas fini de charger en 30 s" in shown  # an unknown kind
    assert odd.error_kind == "mystery"

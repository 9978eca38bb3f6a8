"""The registry of legal sources: dated, reviewed on purpose, and weighing every rule right."""

from __future__ import annotations

import datetime

import pytest

from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import RegistryError, RuleRegistry
from privacy_pages.rules.sources import (
    REVIEW_INTERVAL_DAYS,
    SOURCES,
    Law,
    SourceError,
    SourceKind,
    parse_day,
)

LEGAL_FAMILIES = ("PN", "LN", "CK", "PC", "RJ", "DC", "RT", "BN", "TX", "LK")
"""Rule families that state the law: every rule of theirs cites at least one source."""
DOC = "What it checks: a.\nWhy it matters: b.\nFails: c.\nUse instead: d."


def test_every_source_was_read_within_a_year() -> None:
    """Fails on purpose once a source's review is a year old: re-read it against the rules
    that cite it, then move its `reviewed` date in sources.yaml."""
    today = datetime.date.today()
    stale = [f"{s.key} (reviewed {s.reviewed.isoformat()})" for s in SOURCES if s.review_due(today)]
    assert not stale, (
        f"legal sources not reviewed for over {REVIEW_INTERVAL_DAYS} days: " + ", ".join(stale)
    )
    assert all(s.reviewed <= today for s in SOURCES), "a review date lies in the future"


def test_review_due_after_a_year() -> None:
    source = SOURCES.get("gdpr-13")
    assert not source.review_due(source.reviewed + datetime.timedelta(days=REVIEW_INTERVAL_DAYS))
    assert source.review_due(source.reviewed + datetime.timedelta(days=REVIEW_INTERVAL_DAYS + 1))


def test_sources_are_well_formed() -> None:
    for source in SOURCES:
        assert source.url.startswith("https://"), source.key
        assert source.text and source.short and source.version, source.key
        if source.in_force_from and source.in_force_until:
            assert source.in_force_from <= source.in_force_until, source.key


def test_every_source_is_cited() -> None:
    """The registry holds what the rules and the pages cite, and nothing stale beside it."""
    from privacy_pages.render.cited import CITED

    cited = {c.key for rule in REGISTRY for c in rule.citations}
    cited |= {c.key for citations in CITED.values() for c in citations}
    assert {s.key for s in SOURCES} == cited


def test_every_legal_rule_cites_a_source() -> None:
    for rule in REGISTRY:
        if rule.family in LEGAL_FAMILIES:
            assert rule.citations, f"{rule.id} states the law but cites no source"


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.id)
def test_severity_follows_the_sources(rule) -> None:  # type: ignore[no-untyped-def]
    """Error only where a binding text requires it, warning for authority guidance, info for
    good practice; a rule below what its sources allow says why (``level_note``)."""
    if not rule.citations:
        return
    ceiling = rule.ceiling
    assert rule.severity <= ceiling, (
        f"{rule.id} is {rule.severity.label} but its strongest source is "
        f"{max((c.source.kind for c in rule.citations), key=lambda k: k.ceiling).label}"
    )
    if rule.severity < ceiling:
        assert rule.level_note, f"{rule.id} is below what its sources allow: say why"
    else:
        assert not rule.level_note, f"{rule.id} has a level note it does not need"
    assert rule.level_reason


def test_the_telephone_regime_changes_on_11_august_2026() -> None:
    before, after = Law(datetime.date(2026, 8, 10)), Law(datetime.date(2026, 8, 11))
    assert before.in_force("consom-l223-2-bloctel") and not before.in_force("consom-l223-2-consent")
    assert after.in_force("consom-l223-2-consent") and not after.in_force("consom-l223-2-bloctel")
    pn030 = REGISTRY.get("PN030")
    assert pn030.applies_on(before.as_of) and pn030.applies_on(after.as_of)
    assert REGISTRY.resolve("bloctel-missing") is pn030  # the former name still resolves


def test_a_rule_applies_while_its_sources_are_in_force() -> None:
    accessibility = REGISTRY.get("LN015")
    assert accessibility.period == (datetime.date(2025, 6, 28), None)
    assert not accessibility.applies_on(datetime.date(2025, 6, 27))
    assert accessibility.applies_on(datetime.date(2025, 6, 28))


def test_citations_name_a_registered_source() -> None:
    assert SOURCES.cite("gdpr-13#(1)(a)").label == "GDPR Art. 13(1)(a)"
    assert SOURCES.cite("cnil-2020-092#art. 5").label == "CNIL recommendation 2020-092, art. 5"
    assert SOURCES.cite("consom-l223-2-consent").label == "C. consom. L.223-2"
    with pytest.raises(SourceError, match="unknown legal source 'gdpr-99'"):
        SOURCES.cite("gdpr-99")
    with pytest.raises(SourceError, match="pinpoint"):
        SOURCES.cite("gdpr-13#(1); drop")
    registry = RuleRegistry()
    with pytest.raises(RegistryError, match="rule ZZ01: unknown legal source 'art. 13'"):
        registry.define("ZZ01", "cites-free-text", Severity.ERROR, "ZZ", DOC, ("art. 13",))


def test_kinds_cap_severities() -> None:
    assert SourceKind.BINDING.ceiling is Severity.ERROR
    assert SourceKind.GUIDANCE.ceiling is Severity.WARNING
    assert SourceKind.GOOD_PRACTICE.ceiling is Severity.INFO


def test_as_of_dates_are_one_line_errors() -> None:
    assert parse_day("2026-08-11") == datetime.date(2026, 8, 11)
    with pytest.raises(ValueError, match="'11/08/2026' is not a date; write YYYY-MM-DD"):
        parse_day("11/08/2026")

"""`inspect` as a whole: pure, deterministic, the phases' semantics, severities and rules."""

from __future__ import annotations

import copy
import dataclasses
import random

import pytest

from privacy_audit.analyze import inspect
from privacy_audit.findings import exit_code
from privacy_audit.observations import Observations
from privacy_audit.rules import RULES, Rule, parse_severity_overrides
from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.reference import markdown_reference

from . import inspect_fixtures as fx

BRIEF_RULES = {
    "PC01": "pre-consent-cookie",
    "PC02": "pre-consent-storage",
    "PC03": "pre-consent-tracker-request",
    "RJ01": "reject-ignored",
    "RJ02": "reject-ignored-request",
    "DC01": "undeclared-cookie",
    "DC02": "declared-not-observed",
    "DC03": "undeclared-third-party",
    "DC04": "unclassified-cookie",
    "DC05": "contradictory-category",
    "DC06": "known-cookie-wrong-category",
    "RT01": "expiry-exceeds-declared",
    "RT02": "session-persistence-mismatch",
    "RT03": "lifetime-over-13-months",
    "RT04": "exempt-lifetime-over-13-months",
    "BN00": "no-banner-found",
    "BN01": "no-reject-first-layer",
    "BN07": "no-withdraw-mechanism",
    "BN08": "close-is-not-consent",
    "BN09": "pay-or-accept-wall",
    "TX01": "no-https",
    "TX02": "insecure-form",
    "LK01": "policy-link-missing",
}


def _recorded() -> Observations:
    """A bad shop: trackers before consent, refusal ignored (tests/data/audit/observations)."""
    path = fx.DATA / "observations" / "shop-bad.json"
    return Observations.from_json(path.read_text(encoding="utf-8"))


def test_inspect_is_pure_and_deterministic() -> None:
    observations = _recorded()
    controller = fx.controller("shop")
    before = (copy.deepcopy(observations), copy.deepcopy(controller))
    first = inspect(observations, controller, fx.builtin_knowledge())
    assert (observations, controller) == before
    shuffled = copy.deepcopy(observations)
    rng = random.Random(4)
    for phase in shuffled.phases:
        rng.shuffle(phase.cookies)
        rng.shuffle(phase.storage)
        rng.shuffle(phase.requests)
    rng.shuffle(shuffled.phases)
    assert inspect(shuffled, controller, fx.builtin_knowledge()) == first


def test_recorded_bad_site_findings_phase_by_phase() -> None:
    findings = inspect(_recorded(), fx.controller("shop"), fx.builtin_knowledge())
    by_phase = {}
    for finding in findings:
        by_phase.setdefault(finding.phase, []).append(finding.rule)
    assert by_phase == {
        None: ["DC02"],
        "before-consent": ["DC01", "DC03", "PC01", "PC01", "PC03", "PC03", "PC03", "RT03"],
        "after-reject": ["RJ01", "RJ01", "RJ01", "RJ02", "RJ02"],
        "after-accept": ["DC01"],
    }
    assert exit_code(findings) == 1


def test_recorded_well_behaved_site_has_no_finding() -> None:
    path = fx.DATA / "observations" / "shop-good.json"
    observations = Observations.from_json(path.read_text(encoding="utf-8"))
    findings = inspect(observations, fx.controller("shop"), fx.builtin_knowledge())
    assert findings == []
    assert exit_code(findings) == 0


def test_one_undeclared_finding_per_cookie_not_per_phase() -> None:
    findings = inspect(_recorded(), fx.controller("shop"), fx.builtin_knowledge())
    hotjar = [f for f in findings if f.rule == "DC01" and f.subject and f.subject.name == "_hjid"]
    assert len(hotjar) == 1
    assert hotjar[0].phases == ("before-consent", "after-reject", "after-accept")
    assert hotjar[0].vendor == "Hotjar"


def test_without_a_controller_everything_observed_is_undeclared() -> None:
    observations = fx.build_observations(
        {
            "phases": [
                {"phase": "before-consent", "cookies": [{"name": "_ga", "lifetime_days": 390}]}
            ]
        }
    )
    findings = inspect(observations, None, fx.builtin_knowledge())
    assert [f.rule for f in findings] == ["DC01", "PC01"]


def test_without_knowledge_unknown_cookies_are_not_judged_for_consent() -> None:
    observations = fx.build_observations(
        {
            "phases": [
                {"phase": "before-consent", "cookies": [{"name": "_hjid", "lifetime_days": 1}]}
            ]
        }
    )
    findings = inspect(observations, fx.controller("shop"), None)
    assert "PC01" not in [f.rule for f in findings]


def test_severity_overrides_and_unknown_ids() -> None:
    observations = fx.build_observations(
        {
            "phases": [
                {"phase": "before-consent", "cookies": [{"name": "mystery", "lifetime_days": 1}]}
            ]
        }
    )
    findings = inspect(
        observations, fx.controller("shop"), None, severities={"DC01": Severity.WARNING}
    )
    undeclared = [f for f in findings if f.rule == "DC01"]
    assert undeclared[0].severity is Severity.WARNING
    with pytest.raises(KeyError, match="unknown rule 'XX99'"):
        inspect(observations, None, None, severities={"XX99": Severity.INFO})


def test_findings_are_diagnostics_located_at_a_url() -> None:
    findings = inspect(_recorded(), fx.controller("shop"), fx.builtin_knowledge())
    for finding in findings:
        assert finding.diagnostic.path.startswith("https://")
        assert (finding.diagnostic.line, finding.diagnostic.column) == (0, 0)
        assert finding.name == RULES.get(finding.rule).name


# --- the registry ---------------------------------------------------------------------------


def test_registry_holds_the_rules_of_the_reference() -> None:
    assert {rule.id: rule.name for rule in RULES} == BRIEF_RULES


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.id)
def test_rule_docstrings_follow_the_template(rule: type[Rule]) -> None:
    sections = rule.sections()
    assert list(sections) == ["What it checks", "Why it matters", "Fails", "Use instead"]
    assert all(text for text in sections.values())
    assert rule.summary.endswith(".")


def test_rule_reference_markdown_lists_every_rule() -> None:
    text = markdown_reference(REGISTRY, "audit")
    for rule in RULES:
        assert f"### {rule.id}\n\n`{rule.name}` · default severity" in text
        assert f"| [{rule.id}](#{rule.id.lower()}) | `{rule.name}` | {rule.severity.label} |" in text
    assert not [r for r in REGISTRY.scoped("check") if f"### {r.id}\n" in text]
    assert "**Why it matters.** ePrivacy Directive Art. 5(3)" in text


def test_finding_is_immutable() -> None:
    finding = inspect(_recorded(), fx.controller("shop"), fx.builtin_knowledge())[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.phase = "after-accept"  # type: ignore[misc]


def test_severity_overrides_from_text() -> None:
    assert parse_severity_overrides("dc01=warning, RT03=info") == {
        "DC01": Severity.WARNING,
        "RT03": Severity.INFO,
    }
    assert parse_severity_overrides("") == {}
    assert parse_severity_overrides("declared-not-observed=warning") == {"DC02": Severity.WARNING}
    with pytest.raises(ValueError, match="write RULE=LEVEL"):
        parse_severity_overrides("DC01")
    with pytest.raises(ValueError, match="unknown rule 'ZZ01'"):
        parse_severity_overrides("ZZ01=info")
    with pytest.raises(ValueError, match="unknown severity 'fatal'"):
        parse_severity_overrides("DC01=fatal")


def test_real_crawl_of_the_bad_test_site() -> None:
    """A crawl recorded by collect over tests/audit/sites/bad, against a partial declaration."""
    path = fx.DATA / "observations" / "bad-site-recorded.json"
    observations = Observations.from_json(path.read_text(encoding="utf-8"))
    findings = inspect(observations, fx.controller("bad-shop"), fx.builtin_knowledge())
    summary = [
        (f.phase, f.rule, f.subject.name if f.subject and f.subject.kind != "page" else f.url)
        for f in findings
    ]
    site = observations.target_url
    assert summary == [
        ("before-consent", "DC01", "_ads_fp"),
        ("before-consent", "DC01", "_pa_last_visit"),
        ("before-consent", "DC01", "ads_frame_id"),
        ("before-consent", "DC01", "ads_session"),
        ("before-consent", "LK01", site),
        ("before-consent", "LK01", site + "offres.html"),
        ("before-consent", "PC01", "_pa_id"),
        ("before-consent", "PC01", "ad_id"),
        ("before-consent", "PC01", "trk_uid"),
        ("before-consent", "PC03", "ads.test"),
        ("before-consent", "PC03", "tracker.test"),
        ("before-consent", "RT03", "ad_id"),
        ("before-consent", "TX01", "shop.test"),
        ("after-reject", "BN07", "consent banner"),
        ("after-reject", "RJ01", "_pa_id"),
        ("after-reject", "RJ01", "ad_id"),
        ("after-reject", "RJ01", "trk_uid"),
        ("after-reject", "RJ02", "ads.test"),
        ("after-reject", "RJ02", "tracker.test"),
        ("after-reject", "RT01", "choice"),
    ]
    rt01 = findings[-1]
    assert rt01.message == "cookie 'choice' lives 365 days, over 1.5 times its declared P6M"
    assert rt01.phases == ("after-reject", "after-accept")


def test_as_of_applies_the_rules_in_force_on_that_day(monkeypatch) -> None:
    """A rule whose sources are not in force on the day audited for finds nothing: the same
    date decides the law for `check --as-of` and `audit --as-of`."""
    import datetime

    from privacy_pages.rules.sources import SOURCES

    dated = SOURCES.cite("consom-l223-2-consent")  # in force from 11 August 2026
    pc01 = dataclasses.replace(RULES.get("PC01"), citations=(dated,))
    original = RULES.get
    monkeypatch.setattr(
        RULES, "get", lambda rule_id: pc01 if rule_id == "PC01" else original(rule_id)
    )
    recorded, shop = _recorded(), fx.controller("shop")

    def pc01_found(day: datetime.date) -> bool:
        findings = inspect(recorded, shop, fx.builtin_knowledge(), as_of=day)
        return any(f.rule == "PC01" for f in findings)

    assert not pc01_found(datetime.date(2026, 8, 10))
    assert pc01_found(datetime.date(2026, 8, 11))
    assert any(f.rule == "PC01" for f in inspect(recorded, shop, fx.builtin_knowledge()))

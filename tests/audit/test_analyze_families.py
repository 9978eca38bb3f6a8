"""The shape of `privacy_audit.analyze`: one module per finding family, each rule judged in
exactly one of them, and each module's docstring naming the rules it judges."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from privacy_audit import analyze
from privacy_audit.rules import RULES

FAMILIES = ("consent_phases", "declared_cookies", "retention", "banner", "pages")


def _source(name: str) -> str:
    return Path(importlib.import_module(f"privacy_audit.analyze.{name}").__file__ or "").read_text(
        encoding="utf-8"
    )


def test_every_audit_rule_is_judged_in_exactly_one_family() -> None:
    owners: dict[str, list[str]] = {rule.id: [] for rule in RULES}
    for family in FAMILIES:
        for rule_id in set(re.findall(r'"([A-Z]{2}\d{2})"', _source(family))):
            owners.setdefault(rule_id, []).append(family)
    assert {rule: found for rule, found in owners.items() if len(found) != 1} == {}


def test_each_family_names_its_rules_in_its_docstring() -> None:
    for family in FAMILIES:
        module = importlib.import_module(f"privacy_audit.analyze.{family}")
        judged = set(re.findall(r'"([A-Z]{2}\d{2})"', _source(family)))
        doc = module.__doc__ or ""
        named = set(re.findall(r"\b[A-Z]{2}\d{2}\b", doc))
        ranges = re.findall(r"\b([A-Z]{2})(\d{2})-\1?(\d{2})\b", doc)
        for prefix, low, high in ranges:
            named |= {f"{prefix}{n:02d}" for n in range(int(low), int(high) + 1)}
        assert judged <= named, (family, sorted(judged - named))


def test_inspect_runs_every_family_in_order() -> None:
    modules = [check.__module__.rsplit(".", 1)[-1] for check in analyze.CHECKS]
    assert modules == [
        "consent_phases",
        "declared_cookies",
        "declared_cookies",
        "retention",
        "banner",
        "pages",
        "banner",
    ]
    assert set(modules) == set(FAMILIES)

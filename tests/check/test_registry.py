"""The one rule registry, shared by `check` and the audit."""

from __future__ import annotations

import pytest

from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import RegistryError, RuleRegistry

DOC = "Summary line.\n\nWhat it checks: a.\nWhy it matters: b.\nFails: c.\nUse instead: d."


def test_refuses_duplicates_bad_ids_names_and_undocumented_rules() -> None:
    registry = RuleRegistry()
    with pytest.raises(RegistryError, match="lacks: Why it matters"):
        registry.define(
            "ZZ01", "first", Severity.INFO, "ZZ", "What it checks: a. Fails: c. Use instead: d."
        )
    registry.define("ZZ01", "first", Severity.INFO, "ZZ", DOC)
    with pytest.raises(RegistryError, match="registered twice"):
        registry.define("ZZ01", "other", Severity.INFO, "ZZ", DOC)
    with pytest.raises(RegistryError, match="registered twice"):
        registry.define("ZZ02", "first", Severity.INFO, "ZZ", DOC)
    with pytest.raises(RegistryError, match="kebab-case"):
        registry.define("ZZ03", "Bad_Name", Severity.INFO, "ZZ", DOC)
    with pytest.raises(RegistryError, match="must look like"):
        registry.define("Z1", "short", Severity.INFO, "ZZ", DOC)
    with pytest.raises(KeyError, match="unknown rule 'ZZ09'"):
        registry.get("ZZ09")
    with pytest.raises(KeyError):
        registry.severities({"ZZ09": Severity.ERROR})
    rule = registry.get("ZZ01")
    assert rule.summary == "Summary line."
    assert rule.sections() == {
        "What it checks": "a.",
        "Why it matters": "b.",
        "Fails": "c.",
        "Use instead": "d.",
    }


def test_select_by_id_name_and_prefix() -> None:
    assert REGISTRY.select(["PN004"]) == {"PN004"}
    assert REGISTRY.select(["legal-basis-missing"]) == {"PN004"}
    assert REGISTRY.select(["LN"]) == {r.id for r in REGISTRY if r.id.startswith("LN")}
    with pytest.raises(KeyError):
        REGISTRY.select(["nothing-like-this"])


def test_one_registry_for_check_and_audit() -> None:
    """Audit rules live in the same registry (so IDs and names never collide), scope "audit"."""
    from privacy_audit.rules import RULES

    assert [r.id for r in RULES] == [r.id for r in REGISTRY if r.scope == "audit"]
    assert REGISTRY.resolve("PC01").scope == "audit"
    assert REGISTRY.resolve("declared-not-observed").id == "DC02"
    assert not {r.id for r in RULES} & {r.id for r in REGISTRY.scoped("check")}


def test_one_severity_parser_by_id_or_name() -> None:
    from privacy_audit.rules import parse_severity_overrides

    assert parse_severity_overrides("declared-not-observed=warning") == {"DC02": Severity.WARNING}
    assert REGISTRY.scoped("check").parse_severities(["PN007=error"]) == {"PN007": Severity.ERROR}
    with pytest.raises(ValueError, match="unknown rule 'PC01'"):
        REGISTRY.scoped("check").parse_severities(["PC01=info"])

"""The one rule registry, shared by `check` and the audit: IDs, lifecycle, options."""

from __future__ import annotations

import json

import pytest

from privacy_pages.diagnostics import Severity
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.reference import text_reference
from privacy_pages.rules.registry import (
    Lifecycle,
    RegistryError,
    RemovedRule,
    Rule,
    RuleRegistry,
)

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


# --- lifecycle: since, deprecated, removed (IDs never reused) -------------------------------


def _lifecycle_registry() -> RuleRegistry:
    registry = RuleRegistry()
    registry.define("ZZ01", "kept", Severity.INFO, "ZZ", DOC)
    registry.define(
        "ZZ02",
        "going",
        Severity.WARNING,
        "ZZ",
        DOC,
        lifecycle=Lifecycle(since="0.1.0", deprecated="0.2.0", reason="use ZZ01 instead"),
    )
    registry.define(
        "ZZ03",
        "gone",
        Severity.ERROR,
        "ZZ",
        DOC,
        lifecycle=Lifecycle(since="0.1.0", removed="0.3.0", reason="the law changed"),
    )
    return registry


def test_a_removed_rule_keeps_its_id_and_name_forever() -> None:
    registry = _lifecycle_registry()
    with pytest.raises(RegistryError, match="registered twice"):
        registry.define("ZZ03", "new-meaning", Severity.ERROR, "ZZ", DOC)
    with pytest.raises(RegistryError, match="registered twice"):
        registry.define("ZZ09", "gone", Severity.ERROR, "ZZ", DOC)
    with pytest.raises(RegistryError, match="keeps its ID, not its check"):
        registry.add(Rule("ZZ04", "x", Severity.INFO, "ZZ", DOC, lambda m: (), lifecycle=_REMOVED))


_REMOVED = Lifecycle(removed="0.3.0")


def test_naming_a_removed_rule_is_one_clear_error_and_a_prefix_skips_it() -> None:
    registry = _lifecycle_registry()
    with pytest.raises(RemovedRule) as info:
        registry.select(["ZZ03"])
    assert str(info.value) == "rule ZZ03 (gone) was removed in 0.3.0: the law changed"
    with pytest.raises(ValueError, match="ZZ03 \\(gone\\) was removed in 0.3.0"):
        registry.parse_severities(["gone=info"])
    assert registry.select(["ZZ02"]) == {"ZZ02"}  # deprecated: still selectable, still runs
    assert registry.get("ZZ03").run(None, None) == ()  # type: ignore[arg-type]


def test_the_lifecycle_is_shown_by_rules_and_the_reference(cli) -> None:
    registry = _lifecycle_registry()
    text = text_reference(list(registry))
    assert "ZZ01  kept  [info]  since 0.1.0\n" in text
    assert "ZZ02  going  [warning]  since 0.1.0, deprecated in 0.2.0: use ZZ01 instead" in text
    assert "ZZ03  gone  [error]  since 0.1.0, removed in 0.3.0: the law changed" in text
    every = json.loads(cli("rules", "--format", "json").out)
    assert {r["status"] for r in every} <= {"stable", "deprecated", "removed"}
    assert all(r["since"] for r in every)
    page = cli("rules", "--format", "markdown").out
    assert "`todo-left` · default severity **error** · since 0.1.0" in page


# --- rule options (yamllint's CONF) ---------------------------------------------------------


def test_rule_options_have_defaults_and_refuse_bad_values() -> None:
    todo = REGISTRY.get("CS010")
    assert todo.option_defaults() == {"markers": ("TODO",)}
    assert todo.read_options({"markers": ["TODO", "FIXME"]}) == {"markers": ("TODO", "FIXME")}
    with pytest.raises(ValueError, match="CS010 option 'markers': give a list of words"):
        todo.read_options({"markers": 3})
    with pytest.raises(ValueError, match="CS010 has no option 'marker' \\(its options: markers\\)"):
        todo.read_options({"marker": ["X"]})


def test_an_option_changes_what_the_rule_finds(tmp_path) -> None:
    from privacy_pages.check import CheckOptions, check_document
    from privacy_pages.model.content import load_controller

    path = tmp_path / "c.yaml"
    path.write_text(
        "id: c\nlanguages: [en]\ncontroller: {name: 'FIXME: the name'}\n", encoding="utf-8"
    )
    document = load_controller(path)
    only = frozenset({"CS010"})
    default = check_document(document, CheckOptions(select=only))
    assert default.diagnostics == []
    options = {"CS010": REGISTRY.get("CS010").read_options({"markers": ["TODO", "FIXME"]})}
    marked = check_document(document, CheckOptions(select=only, rule_options=options))
    assert [(d.rule, d.pointer) for d in marked.diagnostics] == [("CS010", "/controller/name")]

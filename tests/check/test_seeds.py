"""The five real controllers: their gaps are a golden file, reviewed by a person once."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from privacy_pages.model.content import load_controller
from privacy_pages.model.schema import schema_path

from ..conftest import assert_golden
from .conftest import DATA, GOLDEN_DAY

ROOT = Path(__file__).resolve().parents[2]


def test_seed_findings_golden(cli, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = cli("check", "content", "--format", "json", "--as-of", GOLDEN_DAY)
    assert result.code == 1, result
    document = json.loads(result.out)
    lines = [
        f"{d['path']}:{d['line']}:{d['column']} {d['rule']} {d['severity']} {d['message']}"
        for d in document["diagnostics"]
    ]
    suppressed: dict[str, int] = {}
    for d in document["suppressed"]:
        suppressed[f"{d['path']} {d['rule']}"] = suppressed.get(f"{d['path']} {d['rule']}", 0) + 1
    lines += [f"suppressed {key} x{count}" for key, count in sorted(suppressed.items())]
    assert_golden("\n".join(lines) + "\n", DATA / "golden" / "seeds.txt")


def test_seed_gaps_named_in_the_issue(cli, monkeypatch) -> None:
    """The gaps issue #2 names, asserted directly, not only through the golden file."""
    monkeypatch.chdir(ROOT)
    diagnostics = json.loads(
        cli("check", "content", "--format", "json", "--as-of", GOLDEN_DAY).out
    )["diagnostics"]
    found = {(Path(d["path"]).stem, d["rule"]) for d in diagnostics}
    assert ("unnamed-shop", "PN001") in found  # seed 003 names no controller
    assert ("unnamed-shop", "LN001") in found
    assert ("ocoup-dcoeur", "PN004") in found  # the tea room gives no legal basis
    assert ("officine-generale", "PN007") in found  # "no longer than required"
    assert ("officine-generale", "PN010") in found  # North America, no safeguard named
    assert ("ozio-france", "LN009") in found  # no director of publication
    assert ("officine-generale", "CK012") in found  # "by using the Website, you accept"
    assert not any(rule.startswith(("YAML", "SCHEMA")) for _, rule in found)


def test_every_seed_is_schema_valid_and_references_the_schema() -> None:
    paths = sorted((ROOT / "content").glob("*.yaml"))
    assert len(paths) == 5
    for path in paths:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), path
        assert (path.parent / first[len(prefix) :]).resolve() == schema_path().resolve(), path
        document = load_controller(path)
        assert document.data is not None, path
        assert [d.location for d in document.diagnostics] == [], path


def test_seed_suppressions_are_narrow(cli, monkeypatch) -> None:
    """Each suppression points at one place and hides one finding, never a whole file."""
    monkeypatch.chdir(ROOT)
    document = json.loads(cli("check", "content", "--format", "json", "--as-of", GOLDEN_DAY).out)
    for path in sorted((ROOT / "content").glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")).get("suppressions") or []
        assert all(entry.get("pointer") for entry in entries), path
        hidden = [d for d in document["suppressed"] if Path(d["path"]).name == path.name]
        assert len(hidden) <= len(entries), (path, hidden)

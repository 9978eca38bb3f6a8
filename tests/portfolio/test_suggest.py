"""`suggest`: declare what the audit saw, as a minimal diff that keeps the file as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.portfolio.suggest import apply, iso_lifetime, suggestions
from privacy_pages.model.knowledge import load_knowledge

from ..conftest import invoke as cli
from ..conftest import spawn
from .portfolio_sites import RESOLVE, PortfolioSites

COMMENTED = """\
# Client file kept by hand: these comments must survive `suggest --write`.
id: client02
languages: [en]
website: {url}
controller:
  name: 'Client02 SAS'   # quoted on purpose
cookies:
  categories:
    - {{id: necessary, kind: strictly_necessary}}
    - {{id: audience, kind: analytics}}   # measurement
  # The list the agency maintains:
  trackers:
    - {{name: sess, category: necessary, lifetime: session}}
"""


def _report(*findings: dict[str, Any], cookies: list[dict[str, Any]] | None = None) -> dict:
    return {
        "observations": {"phases": [{"phase": "after-accept", "cookies": cookies or [],
                                     "storage": [], "requests": []}]},
        "findings": list(findings),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("seconds", "session", "expected"),
    [(None, True, "session"), (31536000, False, "P1Y"), (34128000, False, "P13M"),
     (7776000, False, "P3M"), (86400 * 3, False, "P3D"), (86400, False, "P1D"),
     (1800, False, "PT30M"), (7200, False, "PT2H"), (45, False, "PT45S")],
)  # fmt: skip
def test_observed_lifetime_as_iso(seconds: float | None, session: bool, expected: str) -> None:
    assert iso_lifetime(seconds, session) == expected


def test_known_cookie_gets_provider_and_the_files_own_category() -> None:
    report = _report(
        {"rule": "DC01", "severity": "error", "cookie": {"name": "_ga", "domain": ".shop.test"}},
        cookies=[{"name": "_ga", "domain": ".shop.test", "party": "first", "session": False,
                  "lifetime_seconds": 34128000}],
    )  # fmt: skip
    controller = {"cookies": {"categories": [{"id": "audience", "kind": "analytics"}]}}
    (entry,) = [s.entry for s in suggestions(report, controller, load_knowledge([]))]
    assert entry == {
        "name": "_ga",
        "domain": "shop.test",
        "party": "first",
        "provider": "Google Analytics",
        "category": "audience",
        "lifetime": "P13M",
    }


def _dc01(*names: str) -> list[dict[str, Any]]:
    return [{"rule": "DC01", "severity": "error", "cookie": {"name": n}} for n in names]


def test_a_family_the_knowledge_base_knows_is_declared_once_as_a_prefix() -> None:
    cookies = [
        {"name": n, "domain": ".shop.test", "party": "first", "session": False,
         "lifetime_seconds": s}
        for n, s in (("_ga_ABC123", 63072000), ("_ga_XYZ789", 63072000),
                     ("_pk_id.1.a1b2", 34128000), ("_pk_ses.1.a1b2", 1800))
    ]  # fmt: skip
    report = _report(*_dc01(*(c["name"] for c in cookies)), cookies=cookies)
    controller = {"cookies": {"categories": [{"id": "audience", "kind": "analytics"}]}}
    entries = [s.entry for s in suggestions(report, controller, load_knowledge([]))]
    assert [(e["name"], e.get("match"), e["lifetime"]) for e in entries] == [
        ("_ga_", "prefix", "P2Y"),
        ("_pk_id", "prefix", "P13M"),
        ("_pk_ses", "prefix", "PT30M"),  # a sub-day lifetime, not rounded up to a day
    ]
    # Declared once, a later audit's other ids of the family are covered: nothing to add.
    controller["cookies"]["trackers"] = entries
    assert suggestions(report, controller, load_knowledge([])) == []


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [("Google Analytics", "ga"), ("google analytics", "ga"), ("Google", "ga"),
     ({"fr": "Google Analytics", "en": "Google Analytics"}, "ga"), ("Googlebot", None),
     ("Matomo", None)],
)  # fmt: skip
def test_the_recipient_named_as_the_provider_is_filled_in(
    recipient: Any, expected: str | None
) -> None:
    report = _report(*_dc01("_ga"), cookies=[{"name": "_ga", "session": True}])
    controller = {
        "recipients": [{"id": "ga", "name": recipient, "kind": "processor"}],
        "cookies": {"categories": [{"id": "audience", "kind": "analytics"}]},
    }
    (entry,) = [s.entry for s in suggestions(report, controller, load_knowledge([]))]
    assert entry.get("recipient") == expected
    if expected:  # written right after the provider it names
        keys = list(entry)
        assert keys.index("recipient") == keys.index("provider") + 1


def test_block_style_file_keeps_block_style_and_indentation() -> None:
    text = "id: shop\nlanguages: [en]\ncookies:\n  trackers:\n  - name: sid   # session\n    lifetime: session\n"
    report = _report({"rule": "DC01", "severity": "error", "cookie": {"name": "zz", "domain": "x"}})
    out = apply(text, suggestions(report, {}, None), "shop.yaml")
    assert out.startswith(text)
    assert out[len(text) :] == (
        "  - name: zz\n    provider: TODO\n    lifetime: session\n"
        "    purpose: 'TODO: choose its category and say what it is for'\n"
    )


def test_file_without_cookies_gets_the_section() -> None:
    text = "id: shop  # the id\nlanguages: [en]\n"
    report = _report({"rule": "DC01", "severity": "error",
                      "storage": {"kind": "local_storage", "key": "k", "origin": "o"}})  # fmt: skip
    out = apply(text, suggestions(report, {}, None), "shop.yaml")
    assert out.startswith(text) and "type: local_storage" in out


@pytest.mark.browser
def test_suggest_write_then_reaudit_has_no_undeclared_finding(tmp_path: Path) -> None:
    with PortfolioSites(2) as sites:
        controller = tmp_path / "client02.yaml"
        original = COMMENTED.format(url=sites.url("client02"))
        controller.write_text(original, encoding="utf-8")
        options = ["--pages", "1", "--consent-wait", "0", "--settle", "0.3", "--resolve",
                   RESOLVE, "--quiet", "--format", "json"]  # fmt: skip
        first = tmp_path / "first"
        spawn("audit", str(controller), "--out", str(first), *options, codes=(1,))
        undeclared = {
            (f.get("cookie") or {}).get("name") or f["storage"]["key"]
            for f in json.loads((first / "report.json").read_text())["findings"]
            if f["rule"] == "DC01"
        }
        assert undeclared == {"_st_id", "_st_seen"}

        dry = cli("suggest", str(first), str(controller), codes=(1,))
        assert controller.read_text(encoding="utf-8") == original  # nothing written
        diff_lines = [
            line
            for line in dry.out.splitlines()
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
        assert diff_lines and all(line.startswith("+") for line in diff_lines), dry.out
        assert len(diff_lines) == 2  # one flow-style entry per tracker

        cli("suggest", str(first), str(controller), "--write", codes=(0,))
        written = controller.read_text(encoding="utf-8")
        assert written.startswith(original)  # comments, order, quoting untouched
        added = written[len(original) :]
        assert "name: _st_id" in added and "category: audience" not in added
        assert "provider: TODO" in added and "lifetime: P1Y" in added

        checked = cli("check", str(controller), "--format", "json")
        todos = [d for d in json.loads(checked.out)["diagnostics"] if d["rule"] == "CS010"]
        assert len(todos) == 4  # provider and purpose of each new entry

        second = tmp_path / "second"
        spawn("audit", str(controller), "--out", str(second), *options, codes=(0, 1, 3))
        report = json.loads((second / "report.json").read_text())
        assert not [f for f in report["findings"] if f["rule"] == "DC01"]

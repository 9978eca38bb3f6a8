"""A page states only what the controller file states.

Every bundled and test controller is rendered in each of its languages (and in French and
English) and read for: Python reprs, empty definitions and sections, and fixed sentences
that state a fact about the company (tests/data/render/claims/stated-claims.yaml) the file does
not hold. Mutations of one controller then check each claim in both directions.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_pages.i18n import translate
from privacy_pages.model.content import load_controller
from privacy_pages.render import render_pages

from .conftest import DATA, REPO

CLAIMS = yaml.safe_load((DATA / "claims" / "stated-claims.yaml").read_text(encoding="utf-8"))
REPRS = re.compile(r"<built-in|<bound method|object at 0x|<function |Undefined|>None<|: None\b")
EMPTY = [
    re.compile(r"<dd>\s*</dd>"),
    re.compile(r"<dt>[^<]*</dt>\s*(?=<dt>|</dl>)"),
    re.compile(r'<div class="pp-block[^"]*">\s*</div>'),
    re.compile(r"<p>\s*</p>"),
    re.compile(r"<li>\s*</li>"),
]


def _empty_section(markdown: str) -> str | None:
    """A heading directly followed by a heading of the same or a higher level."""
    lines = [line for line in markdown.splitlines() if line.strip()]
    for here, after in zip(lines, lines[1:]):
        if here.startswith("#") and after.startswith("#"):
            if len(after) - len(after.lstrip("#")) <= len(here) - len(here.lstrip("#")):
                return here
    if lines and lines[-1].startswith("#"):
        return lines[-1]
    return None


def _controllers() -> list[Path]:
    files = sorted((REPO / "content").glob("*.yaml"))
    files += sorted(DATA.glob("*.yaml"))
    files += [REPO / "tests" / "data" / "check" / "formats" / "complete.yaml"]
    return files


def _load(path: Path) -> dict[str, Any]:
    document = load_controller(path)
    assert document.data is not None, path
    return document.data


def _values(data: Any, path: str) -> list[Any]:
    nodes = [data]
    for token in path.strip("/").split("/"):
        found = []
        for node in nodes:
            if token == "*" and isinstance(node, list):
                found.extend(node)
            elif isinstance(node, dict) and token in node:
                found.append(node[token])
        nodes = found
    return nodes


def _holds(data: dict[str, Any], requirement: dict[str, Any]) -> bool:
    values = _values(data, requirement["path"])
    if "equals" in requirement:
        return any(v == requirement["equals"] and type(v) is type(requirement["equals"]) for v in values)
    return any(v not in (None, "", [], {}) for v in values)


def _fixed_part(key: str, lang: str) -> str:
    """The sentence up to its first placeholder: what is printed whatever the values."""
    return translate(key, lang).split("{", 1)[0].strip()


def _pages(data: dict[str, Any]) -> dict[str, str]:
    languages = list(dict.fromkeys([*data["languages"], "fr", "en"]))
    data = {**data, "languages": languages}
    return {f"{p.lang}/{p.kind}": p.markdown for p in render_pages(data)}


def _claims_made(data: dict[str, Any]) -> list[str]:
    """Each claim printed on a page whose file does not hold it, as 'page: key'."""
    wrong = []
    for page, markdown in _pages(data).items():
        lang = page.split("/")[0]
        for claim in CLAIMS:
            fixed = _fixed_part(claim["key"], lang)
            if fixed and fixed in markdown and not any(_holds(data, r) for r in claim["requires"]):
                wrong.append(f"{page}: {claim['key']}")
    return wrong


@pytest.mark.parametrize("path", _controllers(), ids=lambda p: p.stem)
def test_no_repr_no_empty_part_no_unstated_claim(path: Path) -> None:
    data = _load(path)
    for page, markdown in _pages(data).items():
        match = REPRS.search(markdown)
        assert match is None, f"{path.name} {page}: {markdown[max(0, match.start() - 80):match.end() + 40]}"
        for pattern in EMPTY:
            empty = pattern.search(markdown)
            assert empty is None, f"{path.name} {page}: empty part {empty.group(0)!r}"
        assert _empty_section(markdown) is None, f"{path.name} {page}: empty section"
    assert _claims_made(data) == []


# -- mutations of one complete controller ------------------------------------------------
BASE = DATA / "atelier.yaml"


def _mutated(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(_load(BASE))
    for pointer, value in changes.items():
        *parents, last = pointer.split("__")
        node = data
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node.setdefault(token, {})
        if value is _DELETE:
            node.pop(last, None) if isinstance(node, dict) else None
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return data


_DELETE = object()


def _all_text(data: dict[str, Any]) -> str:
    return "\n".join(_pages(data).values())


def _strip_consent(data: dict[str, Any]) -> dict[str, Any]:
    for category in data.get("cookies", {}).get("categories", []):
        category.pop("consent_required", None)
    for tracker in data.get("cookies", {}).get("trackers", []):
        tracker.pop("consent_required", None)
        tracker.pop("exempt_audience_measurement", None)
    return data


def test_browser_settings_consent_has_no_claim_of_consent() -> None:
    data = _mutated(cookies__consent_model="browser_settings_only")
    text = _all_text(_strip_consent(data))
    for lang in ("fr", "en"):
        for key in ("cookies.consent_needed", "cookies.consent_not_needed", "cookies.managed_by"):
            if key == "cookies.managed_by":
                continue  # names the tool the file names; no consent claim
            assert _fixed_part(key, lang) not in text
    assert "ne sont déposés qu’avec votre consentement" not in text
    assert "only set with your consent" not in text


def test_no_consent_required_prints_no_consent_status() -> None:
    data = _strip_consent(_mutated())
    pages = _pages(data)
    for page, markdown in pages.items():
        lang = page.split("/")[0]
        assert translate("cookies.consent_needed", lang) not in markdown, page
        assert translate("cookies.consent_not_needed", lang) not in markdown, page
        if page.endswith("/cookies"):
            rows = re.findall(r"<tr><td[^>]*><code>.*?</tr>", markdown)
            assert rows, page
            for row in rows:
                assert row.endswith("></td></tr>"), row  # the consent cell is empty


def test_exempt_audience_measurement_is_no_consent_everywhere() -> None:
    data = _strip_consent(_mutated())
    data["cookies"]["trackers"][0]["exempt_audience_measurement"] = True
    markdown = _pages(data)["en/cookies"]
    first_row = re.findall(r"<tr><td[^>]*><code>.*?</tr>", markdown)[0]
    assert first_row.endswith(f">{translate('answer.no', 'en')}</td></tr>")
    from privacy_audit.analyze.declared import read_declaration
    from privacy_pages.model import Controller

    model = Controller(data)
    assert model.trackers[0].needs_consent is False
    assert read_declaration(data).trackers[0].needs_consent is False


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("possible", "facts.outside_eea.possible"),
        (True, "privacy.transfers_some"),
        (False, "privacy.transfers_none"),
    ],
)
def test_transfers_state_what_the_file_says(value: object, key: str) -> None:
    data = _mutated(transfers__outside_eea=value)
    for lang in ("fr", "en"):
        markdown = _pages(data)[f"{lang}/privacy"]
        assert translate(key, lang) in markdown
        others = {"facts.outside_eea.possible", "privacy.transfers_some", "privacy.transfers_none"}
        for other in others - {key}:
            assert translate(other, lang) not in markdown
    assert "may be transferred" in _pages(_mutated(transfers__outside_eea="possible"))["en/privacy"]


def test_unstated_transfers_print_no_statement() -> None:
    data = _mutated()
    data["transfers"].pop("outside_eea", None)
    markdown = _pages(data)["en/privacy"]
    for key in ("facts.outside_eea.possible", "privacy.transfers_some", "privacy.transfers_none"):
        assert translate(key, "en") not in markdown


def test_profiling_alone_is_not_an_automated_decision() -> None:
    data = _mutated()
    data["processing"][0]["automated_decisions"] = {"profiling": True, "logic": "Scores."}
    page = _pages(data)["en/privacy"]
    start = page.index(f'{{#activity-{data["processing"][0]["id"]}}}')
    markdown = page[start : page.index("\n#", start)]
    assert translate("privacy.profiling", "en") in markdown
    assert translate("privacy.automated_exists", "en") not in markdown
    assert translate("privacy.automated_none", "en") not in markdown


def test_summary_keeps_the_scope_of_each_retention_rule() -> None:
    data = _mutated()
    activity = data["processing"][0]
    activity["retention"] = [{"applies_to": "Invoices", "duration": "P10Y", "from": "collection"}]
    data["retention"] = [{"applies_to": "Accounts", "duration": "P3Y", "activities": [activity["id"]]}]
    markdown = _pages(data)["en/privacy"]
    row = re.search(rf'<tr><td><a href="#activity-{activity["id"]}">.*?</tr>', markdown).group(0)
    assert "Invoices" in row and "Accounts" in row
    other = data["processing"][1]["id"]
    other_row = re.search(rf'<tr><td><a href="#activity-{other}">.*?</tr>', markdown).group(0)
    assert "Accounts" not in other_row


def test_unstated_facts_print_nothing() -> None:
    data = _mutated()
    for key in ("meta", "host", "rights", "minors"):
        data.pop(key, None)
    data["controller"].pop("publication_director", None)
    text = _all_text(data)
    for phrase in ("Non précisé", "Not stated", "n’est pas identifié", "not identified", "Aucune date"):
        assert phrase not in text

"""Every fact of a controller file is visible on its built pages, in every language.

The walk goes over every leaf of the model. A leaf is checked by what a reader sees: prose
in the page language (or the fallback), durations and dates as Babel writes them, closed
vocabulary as its translated label, country codes as country names, references as the name
of what they point to. The few leaves that are not facts for readers are listed in SKIPPED
with the reason.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.lists import format_list

from privacy_pages.i18n import translate
from privacy_pages.model.content import require_controller
from privacy_pages.model.text import resolve_text
from privacy_pages.render.formatting import (
    babel_locale,
    country_name,
    format_day,
    format_duration,
    format_money,
    format_registration,
    format_siren,
    language_name,
)

from .conftest import DATA, controller_files, make_fixture_project
from .pagetext import article_hrefs, article_text, controller_pages, normalise

# Leaves that are not facts for readers, by JSON-pointer pattern (indices as *).
SKIPPED = {
    "/$schema": "editor hint",
    "/schema_version": "file format version",
    "/id": "the controller's URL slug",
    "/languages/*": "shown as the language switcher, not as text",
    "/meta/source/*": "where the agency took the facts from; internal provenance",
    "/suppressions/*/*": "lint suppressions; internal",
    "/sections/*/id": "anchor",
    "/processing/*/id": "anchor",
    "/processing/*/section": "shown by placing the activity under its audience heading",
    "/recipients/*/id": "anchor",
    "/recipients/*/category": "boolean, shown as '(category of recipients)'",
    "/recipients/*/hosts/*": "host names for the audit's third-party check, not for visitors",
    "/cookies/categories/*/id": "anchor",
    "/cookies/trackers/*/match": "shown as 'names starting with'",
    "/extra_sections/*/id": "anchor",
    "/extra_sections/*/page": "placement of the section",
    "/extra_sections/*/position": "placement of the section (test_language checks it)",
    "/extra_sections/*/position/*": "placement of the section (test_language checks it)",
    "/controller/share_capital/currency": "part of the formatted amount",
    "/controller/registration/register": "part of the formatted registration",
    "/controller/registration/city": "part of the formatted registration",
    "/controller/registration/siren": "part of the formatted registration",
    "/controller/registration/number": "part of the formatted registration",
    "/processing/*/retention/*/from": "part of the retention sentence",
    "/processing/*/retention/*/until": "part of the retention sentence",
    "/processing/*/retention/*/then": "part of the retention sentence",
    "/processing/*/retention/*/duration": "part of the retention sentence",
    "/retention/*/from": "part of the retention sentence",
    "/retention/*/until": "part of the retention sentence",
    "/retention/*/then": "part of the retention sentence",
    "/retention/*/duration": "part of the retention sentence",
    "/cookies/retention/*/from": "part of the retention sentence",
    "/cookies/retention/*/until": "part of the retention sentence",
    "/cookies/retention/*/then": "part of the retention sentence",
    "/cookies/retention/*/duration": "part of the retention sentence",
    "/cookies/consent_manager/link": "the target of the 'change my choice' button",
    "/proper_names/*": "lint hint: names that stay as they are in every language",
    "/documents/covers/*": "which documents the file covers, not a fact for readers",
    "/data_sources/*/activities/*": "shown as the activity's title",
    "/*/retention/*/from/*": "part of the retention sentence",
    "/retention/*/from/*": "part of the retention sentence",
    "/controller/parent_company/registration/register": "part of the formatted registration",
    "/controller/parent_company/registration/city": "part of the formatted registration",
    "/host/registration/register": "part of the formatted registration",
    "/host/share_capital/currency": "part of the formatted amount",
    "/creator/share_capital/currency": "part of the formatted amount",
    "/controller/parent_company/share_capital/currency": "part of the formatted amount",
    "/host/registration/city": "part of the formatted registration",
    "/creator/registration/register": "part of the formatted registration",
    "/creator/registration/city": "part of the formatted registration",
}
VOCABULARY = {  # pointer pattern -> catalogue group of the label shown
    "/processing/*/legal_bases/*": "legal_basis",
    "/processing/*/source": "source",
    "/processing/*/requirement/kind": "requirement",
    "/recipients/*/kind": "role",
    "/recipients/*/region": "region",
    "/recipients/*/safeguard": "safeguard",
    "/transfers/destinations/*/safeguard": "safeguard",
    "/rights/list/*/right": "right",
    "/rights/channels/*/type": "channel",
    "/cookies/categories/*/kind": "category",
    "/cookies/categories/*/legal_basis": "cookie_basis",
    "/cookies/trackers/*/party": "party",
    "/cookies/trackers/*/type": "tracker_type",
    "/cookies/consent_model": "consent_model",
    "/processing/*/direct_marketing/channels/*": "marketing_channel",
    "/processing/*/direct_marketing/audience": "audience",
    "/rights/identity_check": "facts.identity_check",
    "/rights/channels/*/rights/*": "right",
    "/websites/*/kind": "facts.website_kind",
    "/transfers/outside_eea": "facts.outside_eea",
    "/processing/*/direct_marketing/open_tracking": "facts.open_tracking",
}
DURATIONS = ("duration", "extension", "lifetime", "choice_lifetime", "data_retention")
DATES = ("effective_date", "date")
URL_KEYS = ("url", "website", "contact_url", "privacy_policy")
RETENTION_LISTS = re.compile(r"^(/processing/\d+/retention|/retention|/cookies/retention)/\d+$")


def _pattern(pointer: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/*", pointer)


def _leaves(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and not _is_text_map(pointer, value):
        for key, child in value.items():
            yield from _leaves(child, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, f"{pointer}/{index}")
    else:
        yield pointer, value


def _is_text_map(pointer: str, value: dict[str, Any]) -> bool:
    """Prose as a map language -> text (keys are language codes, values strings)."""
    return (
        bool(value)
        and all(
            re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", k) and isinstance(v, str)
            for k, v in value.items()
        )
        and not pointer.endswith("/share_capital")
    )


def _retention_sentence(rule: dict[str, Any], lang: str) -> str:
    parts = []
    if rule.get("duration"):
        phrase = format_duration(rule["duration"], lang)
        if rule.get("from"):
            starts = rule["from"] if isinstance(rule["from"], list) else [rule["from"]]
            labels = [translate(f"retention.from.{s}", lang) for s in starts]
            phrase += " " + format_list(labels, style="or", locale=babel_locale(lang))
        if rule.get("until"):
            phrase += " " + translate(
                "retention.or_until",
                lang,
                until=translate(f"retention.until.{rule['until']}", lang),
            )
        parts.append(phrase)
    elif rule.get("until"):
        parts.append(translate(f"retention.until.{rule['until']}", lang))
    if parts and rule.get("then"):
        parts[-1] += ", " + translate(f"retention.then.{rule['then']}", lang)
    return "".join(parts)


def expected_strings(data: dict[str, Any], lang: str) -> Iterator[tuple[str, list[str]]]:
    """(pointer, strings a reader must see) for every leaf of ``data``; any one may match
    for URLs (text or link target), all for the rest."""
    default = data["languages"][0]
    by_id = {r["id"]: r for r in data.get("recipients") or []}
    categories = {c["id"]: c for c in (data.get("cookies") or {}).get("categories") or []}
    for pointer, value in _leaves(data):
        pattern = _pattern(pointer)
        key = pointer.rsplit("/", 1)[-1]
        if isinstance(value, bool) or any(fnmatch.fnmatchcase(pattern, s) for s in SKIPPED):
            continue
        if pattern in VOCABULARY:
            yield pointer, [translate(f"{VOCABULARY[pattern]}.{value}", lang)]
        elif key in DURATIONS:
            yield pointer, [format_duration(value, lang)]
        elif key in DATES:
            yield pointer, [format_day(value, lang)]
        elif pattern == "/hosting_service/contact/languages/*":
            yield pointer, [language_name(value, lang)]
        elif key == "country" or "/countries/" in pointer or "/storage_countries/" in pointer:
            yield pointer, [country_name(value, lang)]
        elif key == "amount":
            capital = _parent(data, pointer)
            yield pointer, [format_money(value, capital.get("currency", "EUR"), lang)]
        elif re.fullmatch(
            r"/processing/\d+/recipients/\d+|/transfers/destinations/\d+/recipients/\d+"
            r"|/cookies/trackers/\d+/recipient",
            pointer,
        ):
            target = by_id.get(value)
            yield pointer, [_prose(target["name"], lang, default) if target else value]
        elif pointer.startswith("/cookies/trackers/") and key == "category":
            category = categories.get(value)
            if category is None:
                yield pointer, [value]
            elif category.get("title"):
                yield pointer, [_prose(category["title"], lang, default)]
            else:
                yield pointer, [translate(f"category.{category['kind']}", lang)]
        elif key == "siren" and pointer != "/controller/registration/siren":
            yield pointer, [format_siren(value)]
        elif key == "siret" or key == "ape" or key == "vat_number":
            yield pointer, [str(value)]
        elif isinstance(value, dict):  # prose map
            for paragraph in _paragraphs(_prose(value, lang, default)):
                yield pointer, [paragraph]
        elif isinstance(value, str) and key in URL_KEYS:
            yield pointer, [value]
        elif isinstance(value, str):
            for paragraph in _paragraphs(_prose(value, lang, default)):
                yield pointer, [paragraph]
        else:
            yield pointer, [str(value)]
    for base, rights_list in [("/rights/list", (data.get("rights") or {}).get("list") or [])]:
        if (data.get("rights") or {}).get("default_explanations") is not False:
            for index, entry in enumerate(rights_list):
                if not entry.get("description"):
                    yield f"{base}/{index}", [translate(f"right_text.{entry['right']}", lang)]
    controller = data.get("controller") or {}
    if controller.get("registration"):
        yield "/controller/registration", [format_registration(controller["registration"])]
    for base in ("/processing", "/retention", "/cookies/retention"):
        for pointer, rule in _rules(data, base):
            sentence = _retention_sentence(rule, lang)
            if sentence:
                yield pointer, [sentence]


def _parent(data: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The mapping holding the leaf at ``pointer``."""
    node: Any = data
    for token in pointer.split("/")[1:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _rules(data: dict[str, Any], base: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if base == "/processing":
        for i, activity in enumerate(data.get("processing") or []):
            for j, rule in enumerate(activity.get("retention") or []):
                yield f"/processing/{i}/retention/{j}", rule
    elif base == "/retention":
        for j, rule in enumerate(data.get("retention") or []):
            yield f"/retention/{j}", rule
    else:
        for j, rule in enumerate((data.get("cookies") or {}).get("retention") or []):
            yield f"/cookies/retention/{j}", rule


def _prose(value: Any, lang: str, default: str) -> str:
    resolved = resolve_text(value, lang, default)
    return resolved.text if resolved else ""


def _paragraphs(text: str) -> list[str]:
    return [normalise(p) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _cases() -> list[tuple[str, Path, str]]:
    files = controller_files() + [DATA / "atelier.yaml"]
    files += sorted((DATA.parent / "model").glob("*.yaml"))  # shapes of real documents
    cases = []
    for path in files:
        data = require_controller(path).data
        for lang in data["languages"]:
            cases.append((f"{path.stem}-{lang}", path, lang))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def leaf_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from privacy_pages.site.build import build_site

    root = tmp_path_factory.mktemp("leaf-project")
    config = make_fixture_project(root, sorted({path for _, path, _ in CASES}))
    return build_site(config, root / "site", strict=True)


@pytest.mark.parametrize(("path", "lang"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_leaf_value_is_visible(leaf_site: Path, path: Path, lang: str) -> None:
    data = require_controller(path).data
    pages = controller_pages(leaf_site, data["id"], lang)
    text = " ".join(article_text(page) for page in pages)
    hrefs = set().union(*(article_hrefs(page) for page in pages))
    missing = []
    for pointer, candidates in expected_strings(data, lang):
        wanted = [normalise(c) for c in candidates if c]
        if not wanted:
            continue
        key = pointer.rsplit("/", 1)[-1]
        if key in URL_KEYS and any(w in hrefs for w in candidates):
            continue
        if not all(w in text for w in wanted):
            missing.append(f"{pointer}: {wanted}")
    assert not missing, f"{path.name} [{lang}]: not visible on the built pages:\n" + "\n".join(
        missing
    )


def test_controllers_were_found() -> None:
    assert CASES, "no controller to check"

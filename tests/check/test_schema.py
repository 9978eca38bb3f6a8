"""The controller schema is a usable contract: documented, with examples, valid 2020-12."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from privacy_pages.model.schema import load_schema, schema_path

from ..conftest import installer_env

ROOT = Path(__file__).resolve().parents[2]


def _properties(schema: dict[str, Any], where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}/{name}", prop
        yield from _properties(prop, f"{where}/{name}")
    items = schema.get("items")
    if isinstance(items, dict):
        yield from _properties(items, f"{where}[]")


def _resolve(prop: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in prop:
        target = root["$defs"][prop["$ref"].rsplit("/", 1)[-1]]
        return {**target, **prop}
    return prop


def test_schema_is_valid_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("controller.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_property_has_title_description_example() -> None:
    root = load_schema()
    places = list(_properties(root))
    for definition in root["$defs"].values():
        places += list(_properties(definition, "$defs"))
    assert len(places) > 150
    for where, prop in places:
        resolved = _resolve(prop, root)
        assert resolved.get("title"), f"{where} has no title"
        assert resolved.get("description"), f"{where} has no description"
        assert resolved.get("examples") or "const" in resolved, f"{where} has no example"


def test_examples_are_valid() -> None:
    schema = load_schema()
    assert schema["examples"], "the schema shows no example controller"
    for example in schema["examples"]:
        jsonschema.Draft202012Validator(schema).validate(example)


def test_packaged_schema_is_the_repository_file(tmp_path: Path) -> None:
    """Build the wheel, unpack it and ask the unpacked package where its schema is.

    In a source checkout `schema_path` falls back to schemas/; only a real wheel shows that
    the packaged copy exists, is found first, and is the repository's file.
    """
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
        env=installer_env(),  # pip fetches the build backend (hatchling) from PyPI
    )
    (wheel,) = tmp_path.glob("privacy_pages-*.whl")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    for name in ("controller.schema.json", "audit-report.schema.json"):
        packaged = unpacked / "privacy_pages" / "schemas" / name
        assert packaged.read_bytes() == (ROOT / "schemas" / name).read_bytes(), name
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from privacy_pages.model.schema import schema_path; print(schema_path())",
        ],
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found) == unpacked / "privacy_pages" / "schemas" / "controller.schema.json"
    assert schema_path().read_bytes() == Path(found).read_bytes()


def test_fast_validator_agrees_with_jsonschema() -> None:
    """The fast path may only skip jsonschema on documents jsonschema also accepts."""
    from privacy_pages.model.schema import _validator, is_valid
    from privacy_pages.model.yaml_source import load_text

    from .conftest import rule_cases

    documents = [load_text(case["yaml"], "x").data for _, case in rule_cases() if "yaml" in case]
    documents += [
        load_text(p.read_text(encoding="utf-8"), "x").data
        for p in sorted((ROOT / "content").glob("*.yaml"))
    ]
    checked = 0
    for data in documents:
        if data is None:
            continue
        checked += 1
        full = not list(_validator().iter_errors(data))
        assert is_valid(data) == full, data
    assert checked > 100


SITES_DOCUMENT = {
    "format_version": 1,
    "controller": "shop",
    "verdict": "fail",
    "exit_code": 1,
    "sites": [{"url": "https://shop.test/", "folder": "shop.test", "verdict": "fail"}],
}


@pytest.mark.parametrize(
    ("name", "definition", "original"),
    [
        ("audit-report.schema.json", None, None),
        ("audit-run.schema.json", None, "RUN_RECORD"),
        ("audit-run.schema.json", "sites_document", SITES_DOCUMENT),
    ],
)
def test_fast_validator_agrees_on_the_json_the_audit_reads(
    name: str, definition: str | None, original: Any
) -> None:
    """Reports, run records and sites documents: after the first few of a process, the
    compiled validator answers first; it may only accept what jsonschema accepts."""
    from privacy_pages.model.schema import (
        FAST_PATH_AFTER,
        _definition_validator,
        _validator,
        first_error,
        is_valid,
    )

    from .fuzz import RUN_RECORD, report_cases

    original = RUN_RECORD if original == "RUN_RECORD" else original
    documents = [json.loads(case.text) for case in report_cases(120, 11, original)]
    full = _definition_validator(name, definition) if definition else _validator(name)
    verdicts = [not list(full.iter_errors(data)) for data in documents]
    assert [is_valid(data, name, definition) for data in documents] == verdicts
    assert 0 < sum(verdicts) < len(verdicts)  # both kinds were tried
    said = [first_error(data, name, definition) is None for data in documents]
    assert said == verdicts and len(documents) > FAST_PATH_AFTER  # both paths were taken


def test_schema_defaults_are_filled_in_every_document(monkeypatch) -> None:
    """Defaults (pages rely on them) are the same whichever validator reads the document:
    jsonschema alone for the first documents of a process, the compiled one after."""
    import itertools

    from privacy_pages.model import schema
    from privacy_pages.model.content import load_controller

    path = ROOT / "tests" / "data" / "render" / "atelier.yaml"
    loaded = []
    for start in (0, schema.FAST_PATH_AFTER):
        monkeypatch.setattr(schema, "_documents_seen", itertools.count(start))
        loaded.append(load_controller(path).data)
    trackers = loaded[0]["cookies"]["trackers"]
    assert [t["match"] for t in trackers].count("exact") == len(trackers) - 1, trackers
    assert all(r["category"] is False for r in loaded[0]["recipients"][1:]), loaded[0]
    assert loaded[0] == loaded[1]


def test_tracker_needs_a_name_or_a_provider_said_plainly(tmp_path) -> None:
    from privacy_pages.model.content import load_controller

    path = tmp_path / "t.yaml"
    path.write_text("id: shop\nlanguages: [en]\ncookies:\n  trackers:\n    - {category: x}\n")
    (diagnostic,) = load_controller(path).diagnostics
    assert diagnostic.message == "needs one of the keys 'name', 'provider'"

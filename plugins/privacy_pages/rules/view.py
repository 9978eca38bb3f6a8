"""Read-only access to one validated controller document, with JSON pointers for findings."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..schema import load_schema
from ..yaml_source import LoadedDocument

TEXT_REF = "#/$defs/text"
EEA = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    """A list entry and where it is."""

    pointer: str
    data: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def at(self, key: str) -> str:
        return f"{self.pointer}/{key}"


class ControllerView:
    """What rules read: the data, plus helpers that name the place of each part."""

    def __init__(self, document: LoadedDocument) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def section(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    def items(self, *path: str) -> list[Item]:
        """Entries of the list at ``path`` (e.g. ``items("cookies", "trackers")``)."""
        node: Any = self.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, list):
            return []
        base = "/" + "/".join(path)
        return [Item(f"{base}/{i}", v) for i, v in enumerate(node) if isinstance(v, dict)]

    @property
    def languages(self) -> list[str]:
        return list(self.data.get("languages") or [])

    @property
    def controller(self) -> dict[str, Any]:
        return self.section("controller")

    @property
    def activities(self) -> list[Item]:
        return self.items("processing")

    @property
    def trackers(self) -> list[Item]:
        return self.items("cookies", "trackers")

    @property
    def categories(self) -> dict[str, Item]:
        return {c.get("id"): c for c in self.items("cookies", "categories")}

    @property
    def recipients(self) -> dict[str, Item]:
        return {r.get("id"): r for r in self.items("recipients")}

    @property
    def is_french(self) -> bool:
        address = self.controller.get("address") or {}
        registration = self.controller.get("registration") or {}
        return address.get("country") == "FR" or registration.get("register") in ("RCS", "RM")

    def consent_required(self, tracker: Item) -> bool:
        """Whether a tracker needs consent: its own flag, else its category's, else yes."""
        if "consent_required" in tracker.data:
            return bool(tracker.data["consent_required"])
        if tracker.get("exempt_audience_measurement"):
            return False
        category = self.categories.get(tracker.get("category"))
        if category is None:
            return True
        return category_needs_consent(category.data)

    @functools.cached_property
    def _texts(self) -> list[tuple[str, Any]]:
        return list(_walk_texts(self.data, "", _root_schema()))

    def texts(self) -> Iterator[tuple[str, Any]]:
        """Every prose field of the document: (pointer, value)."""
        return iter(self._texts)


def category_needs_consent(category: dict[str, Any]) -> bool:
    if "consent_required" in category:
        return bool(category["consent_required"])
    return category.get("kind") != "strictly_necessary"


@functools.lru_cache(maxsize=1)
def _root_schema() -> dict[str, Any]:
    return load_schema()


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    root = _root_schema()
    while "$ref" in schema and schema["$ref"] != TEXT_REF:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = {**root["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _walk_texts(value: Any, pointer: str, schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    schema = _deref(schema)
    if schema.get("$ref") == TEXT_REF:
        yield pointer, value
        return
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, child in value.items():
            if key in properties:
                yield from _walk_texts(child, f"{pointer}/{key}", properties[key])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, child in enumerate(value):
            yield from _walk_texts(child, f"{pointer}/{index}", schema["items"])

"""Files written for an older content model: one diagnostic per field to update.

Schema 2 reads every schema-1 file; the fields whose meaning or shape changed are named
here, each with what to write instead, so a file can be migrated by hand in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from privacy_pages.diagnostics import Severity
from privacy_pages.model import Controller
from privacy_pages.model.schema import CURRENT_SCHEMA
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Problem


@REGISTRY.rule("SCHEMA003", "old-schema-field", Severity.WARNING, "SCHEMA")
def old_schema_field(view: Controller) -> Iterator[Problem]:
    """
    What it checks: the file uses no field that content model 2 replaced.
    Why it matters: schema 2 still reads them, but their meaning is ambiguous (a natural
    person may be a professional publisher) or their shape too narrow (one regulated
    activity); each finding says what to write instead.
    Fails: `controller: {regulated_activity: {...}}`; `controller: {natural_person: true}`
    without `non_professional`.
    Use instead: `regulated_activities: [{...}]`; `non_professional: true` (or false), then
    `schema_version: 2`; `privacy-pages migrate FILE` writes these edits for you.
    """
    controller = view.controller
    if "regulated_activity" in controller:
        yield Problem(
            "/controller/regulated_activity",
            "regulated_activity (schema 1) is now a list",
            "write regulated_activities: [{authority: ..., ...}] (privacy-pages migrate does it)",
            at_key=True,
        )
    if controller.get("natural_person") and "non_professional" not in controller:
        yield Problem(
            "/controller/natural_person",
            "schema 1 read natural_person as a non-professional publisher; schema 2 says it "
            "with non_professional",
            "add non_professional: true (anonymous private site, LCEN art. 1-1 II) or false "
            f"(a sole trader), and set schema_version: {CURRENT_SCHEMA} (privacy-pages migrate)",
            at_key=True,
        )

"""Run `check` over files: read, validate, apply the rules, apply suppressions.

One pass per file; one bad file never stops the run over the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from privacy_pages.diagnostics import Diagnostic, ExitCode, Severity, sort_diagnostics
from privacy_pages.model import Controller
from privacy_pages.model.content import discover, load_controller
from privacy_pages.model.yaml_source import DEFAULT_MAX_BYTES, LoadedDocument, pointer_within
from privacy_pages.rules import FAMILY_DOCUMENTS, REGISTRY, Rule
from privacy_pages.rules.registry import Problem
from privacy_pages.rules.sources import Law

UNSUPPRESSIBLE_FAMILIES = ("YAML", "SCHEMA")
"""The file's shape: what every path and page is built from, never accepted by the file."""


@dataclass(frozen=True)
class CheckOptions:
    """What a run of the rules is asked: the project configuration, then the command line."""

    select: frozenset[str] | None = None  # rule IDs; None means all
    ignore: frozenset[str] = frozenset()
    severities: dict[str, Severity] = field(default_factory=dict)  # rule ID -> severity
    max_bytes: int = DEFAULT_MAX_BYTES
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Rule ID -> its options, read and checked (`Rule.read_options`); defaults otherwise."""
    as_of: datetime.date | None = None  # the law in force on this day; None means today

    def enabled(self, rule_id: str) -> bool:
        return (self.select is None or rule_id in self.select) and rule_id not in self.ignore

    @property
    def law(self) -> Law:
        return Law.on(self.as_of)


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic]
    suppressed: list[Diagnostic]


@dataclass
class CheckResult:
    files: list[FileResult]
    failures: list[str]  # the run itself failed for these (missing path, unreadable file)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sort_diagnostics([d for f in self.files for d in f.diagnostics])

    @property
    def suppressed(self) -> list[Diagnostic]:
        return sort_diagnostics([d for f in self.files for d in f.suppressed])

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def exit_code(self, strict: bool = False) -> int:
        """0 clean, 1 errors (or warnings with ``strict``), 2 the run itself failed."""
        if self.failures:
            return ExitCode.FAILURE
        worst = max((d.severity for d in self.diagnostics), default=None)
        threshold = Severity.WARNING if strict else Severity.ERROR
        failed = worst is not None and worst >= threshold
        return ExitCode.FINDINGS if failed else ExitCode.OK


def _diagnostic(
    rule: Rule, problem: Problem, document: LoadedDocument, severity: Severity
) -> Diagnostic:
    positions = document.positions
    at_key = problem.at_key or isinstance(_value_at(document.data, problem.pointer), (dict, list))
    line, column = (
        positions.of_key(problem.pointer) if at_key else positions.of_value(problem.pointer)
    )
    return Diagnostic(
        rule=rule.id,
        severity=severity,
        path=document.path,
        line=line,
        column=column,
        message=problem.message,
        pointer=problem.pointer,
        hint=problem.hint,
        name=rule.name,
    )


def _value_at(data: object, pointer: str) -> object:
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict):
            data = data.get(token)
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return None
    return data


def _run_rules(
    view: Controller, document: LoadedDocument, options: CheckOptions
) -> list[Diagnostic]:
    schema_errors = bool(document.diagnostics)
    law = options.law
    found: list[Diagnostic] = []
    for rule in REGISTRY:
        if rule.check is None or rule.removed or not options.enabled(rule.id):
            continue
        if not rule.applies_on(law.as_of):
            continue
        family_document = FAMILY_DOCUMENTS.get(rule.family)
        if family_document is not None and not view.covers(family_document):
            continue  # the file does not describe that document (documents.covers)
        severity = options.severities.get(rule.id, rule.severity)
        try:
            problems = list(rule.run(view, law, options.rule_options.get(rule.id)))
        except (AttributeError, TypeError, ValueError, KeyError):
            if schema_errors:
                continue  # the schema diagnostics already say what is wrong with the shape
            raise
        found.extend(_diagnostic(rule, p, document, severity) for p in problems)
    return found


def _apply_suppressions(
    document: LoadedDocument, diagnostics: list[Diagnostic], options: CheckOptions
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    entries = (document.data or {}).get("suppressions") if isinstance(document.data, dict) else None
    if not isinstance(entries, list):
        return diagnostics, []
    active, suppressed = list(diagnostics), []
    meta: list[tuple[str, Problem]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
            continue
        pointer = f"/suppressions/{index}/rule"
        try:
            rule = REGISTRY.resolve(entry["rule"])
        except KeyError:
            meta.append(
                (
                    "CS006",
                    Problem(
                        pointer,
                        f"suppression names unknown rule '{entry['rule']}'",
                        "use an ID or name from `privacy-pages rules`",
                    ),
                )
            )
            continue
        if rule.scope == "audit":
            continue  # applied by `privacy-pages audit` to its findings
        if rule.family in UNSUPPRESSIBLE_FAMILIES:
            meta.append(
                (
                    "CS013",
                    Problem(
                        pointer,
                        f"{rule.id} cannot be suppressed: {rule.family} findings say the file "
                        "is not in the shape the pages are built from",
                        f"fix what {rule.id} reports, then delete this suppression",
                    ),
                )
            )
            continue
        matched = [
            d
            for d in active
            if d.rule == rule.id and pointer_within(d.pointer, str(entry.get("pointer", "")))
        ]
        reason = str(entry.get("reason", ""))
        for diagnostic in matched:
            active.remove(diagnostic)
            suppressed.append(replace(diagnostic, suppressed_by=reason))
        if not matched and options.enabled(rule.id):
            meta.append(
                (
                    "CS007",
                    Problem(
                        pointer,
                        f"suppression of {rule.id} matches no finding",
                        "delete this suppression",
                    ),
                )
            )
    for rule_id, problem in meta:
        rule = REGISTRY.resolve(rule_id)
        if options.enabled(rule.id):
            severity = options.severities.get(rule.id, rule.severity)
            active.append(_diagnostic(rule, problem, document, severity))
    return active, suppressed


def _with_severity(diagnostic: Diagnostic, options: CheckOptions) -> Diagnostic | None:
    if not options.enabled(diagnostic.rule):
        return None
    severity = options.severities.get(diagnostic.rule)
    rule_name = REGISTRY.resolve(diagnostic.rule).name if diagnostic.rule in REGISTRY else ""
    return replace(diagnostic, severity=severity or diagnostic.severity, name=rule_name)


def check_controller(model: Controller, options: CheckOptions) -> FileResult:
    """All diagnostics of one controller file (the model of a loaded document), after
    suppressions. The publish gate calls it with the model it then renders."""
    document = model.document
    if document is None:
        raise ValueError("check_controller needs a model read from a file (from_document)")
    loaded = [d for d in (_with_severity(x, options) for x in document.diagnostics) if d]
    found = _run_rules(model, document, options) if document.data is not None else []
    active, suppressed = _apply_suppressions(document, loaded + found, options)
    return FileResult(document.path, sort_diagnostics(active), sort_diagnostics(suppressed))


def check_document(document: LoadedDocument, options: CheckOptions) -> FileResult:
    """All diagnostics of one loaded document, after suppressions."""
    return check_controller(Controller.from_document(document), options)


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class ControllerId:
    """Where a file declares its controller id: what the cross-file check needs."""

    path: str
    value: str
    line: int
    column: int


def controller_id(document: LoadedDocument) -> ControllerId | None:
    """The file's top-level ``id`` and its position, if it has a string one."""
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    line, column = document.positions.of_value("/id")
    return ControllerId(document.path, data["id"], line, column)


def duplicate_ids(
    ids: Iterable[ControllerId | None], options: CheckOptions | None = None
) -> list[Diagnostic]:
    """CS008 for every file whose id an earlier file (in the given order) already uses.

    The one cross-file rule: `check` and the builds (`build`, `export`, the plugin) both call
    it, so a folder that builds is a folder that checks.
    """
    options = options or CheckOptions()
    rule = REGISTRY.resolve("CS008")
    if not options.enabled(rule.id):
        return []
    severity = options.severities.get(rule.id, rule.severity)
    first: dict[str, str] = {}
    found: list[Diagnostic] = []
    for entry in ids:
        if entry is None:
            continue
        if entry.value not in first:
            first[entry.value] = entry.path
            continue
        found.append(
            Diagnostic(
                rule=rule.id,
                severity=severity,
                path=entry.path,
                line=entry.line,
                column=entry.column,
                message=f"id '{entry.value}' is already used by {first[entry.value]}",
                pointer="/id",
                hint="give each controller its own id",
                name=rule.name,
            )
        )
    return found


def run_check(paths: Iterable[str | Path], options: CheckOptions | None = None) -> CheckResult:
    """Check every controller file under ``paths``."""
    options = options or CheckOptions()
    unreadable: list[str] = []
    files, missing = discover(paths, unreadable=unreadable)
    failures = [f"{path}: no such file or folder" for path in missing] + unreadable
    results: list[FileResult] = []
    ids: list[ControllerId | None] = []
    for path in files:
        shown = _display(path)
        try:
            document = load_controller(path, display_path=shown, max_bytes=options.max_bytes)
        except OSError as error:
            failures.append(f"{shown}: cannot read ({error.strerror or error})")
            continue
        results.append(check_document(document, options))
        ids.append(controller_id(document))
    by_path = {result.path: result for result in results}
    for diagnostic in duplicate_ids(ids, options):
        result = by_path[diagnostic.path]
        result.diagnostics = sort_diagnostics([*result.diagnostics, diagnostic])
    return CheckResult(results, failures)

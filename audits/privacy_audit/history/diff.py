"""What changed between two audits of one site: observations per phase and findings.

Works on the JSON report's shape (``observations.phases`` and ``findings``), so it compares
two report folders, two ``report.json`` files, or a finished report with the run in
progress (built from `Observations` and `Finding` objects by `snapshot_of_run`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from privacy_audit import PHASES
from privacy_audit.report.json_report import REPORT_SCHEMA
from privacy_pages.confined import UnsafePath, confined_path
from privacy_pages.diagnostics import printable
from privacy_pages.inputs import InputError, load_json

KINDS = ("cookies", "storage", "third_parties")
KIND_SINGULAR = {"cookies": "cookie", "storage": "storage key", "third_parties": "third party"}


class DiffInputError(ValueError):
    """A report that cannot be read: one line naming the path and what to give instead."""


@dataclass(frozen=True)
class FindingKey:
    rule: str
    phase: str | None
    subject: str
    severity: str
    message: str

    @property
    def identity(self) -> tuple[str, str | None, str]:
        return (self.rule, self.phase, self.subject)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "phase": self.phase,
            "subject": self.subject,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class Snapshot:
    """The comparable part of one audit."""

    phases: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    findings: dict[tuple[str, str | None, str], FindingKey] = field(default_factory=dict)
    generated_at: str | None = None
    target_url: str | None = None
    incomplete: bool = False  # the run did not observe the site in full (its verdict)


def portless(url: str) -> str:
    """``url`` (or origin) without its port: a site served on a new port each run (``--serve``,
    a test server) is the same site, and real sites name no port."""
    try:
        parts = urlsplit(url)
        if parts.port is None or not parts.hostname:
            return url
    except ValueError:
        return url
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def finding_subject(finding: Mapping[str, Any]) -> str:
    """What a finding is about, as one string: cookie@domain, storage key @origin, host, URL."""
    cookie = finding.get("cookie")
    if cookie:
        return f"{cookie.get('name')}@{cookie.get('domain')}"
    storage = finding.get("storage")
    if storage:
        return f"{storage.get('kind')}:{storage.get('key')}@{portless(str(storage.get('origin')))}"
    return portless(str(finding.get("host") or finding.get("url") or ""))


def snapshot(report: Mapping[str, Any]) -> Snapshot:
    """A `Snapshot` of a JSON report (or anything with its ``observations`` and ``findings``)."""
    result = Snapshot(
        generated_at=report.get("generated_at"),
        target_url=report.get("target_url"),
        incomplete=(report.get("summary") or {}).get("verdict") == "incomplete",
    )
    for phase in (report.get("observations") or {}).get("phases") or []:
        result.phases[str(phase.get("phase"))] = {
            "cookies": {f"{c['name']}@{c['domain']}" for c in phase.get("cookies") or []},
            "storage": {
                f"{s['kind']}:{s['key']}@{portless(s['origin'])}"
                for s in phase.get("storage") or []
            },
            "third_parties": {
                str(r["host"]) for r in phase.get("requests") or [] if r.get("party") == "third"
            },
        }
    for raw in report.get("findings") or []:
        key = FindingKey(
            rule=str(raw.get("rule")),
            phase=raw.get("phase"),
            subject=finding_subject(raw),
            severity=str(raw.get("severity")),
            message=str(raw.get("message", "")),
        )
        result.findings[key.identity] = key
    return result


def snapshot_of_run(observations: Any, findings: Iterable[Any]) -> Snapshot:
    """A `Snapshot` of a run in progress: `Observations` and its active `Finding` objects."""
    from privacy_audit.verdict import judge

    findings = list(findings)
    return snapshot(
        {
            "observations": observations.to_dict(),
            "findings": [f.to_dict() for f in findings if not f.suppressed],
            "target_url": observations.target_url,
            "summary": {"verdict": judge(observations, findings).name},
        }
    )


@dataclass
class AuditDiff:
    """Appeared / gone per phase and kind; findings new, fixed, still open."""

    old_label: str
    new_label: str
    changes: dict[str, dict[str, dict[str, list[str]]]]  # phase -> kind -> appeared/gone
    new: list[FindingKey]
    fixed: list[FindingKey]
    still_open: list[FindingKey]
    old_incomplete: bool = False
    new_incomplete: bool = False

    @property
    def new_errors(self) -> list[FindingKey]:
        return [f for f in self.new if f.severity == "error"]

    @property
    def worse(self) -> bool:
        """New error findings: the test of a regression for alerts and exit codes."""
        return bool(self.new_errors)

    @property
    def comparable(self) -> bool:
        """Both runs observed the site in full: only then does "no change" mean anything."""
        return not (self.old_incomplete or self.new_incomplete)

    @property
    def unchanged(self) -> bool:
        return self.comparable and not (self.changes or self.new or self.fixed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "worse": self.worse,
            "unchanged": self.unchanged,
            "incomplete": {"old": self.old_incomplete, "new": self.new_incomplete},
            "changes": self.changes,
            "findings": {
                "new": [f.to_dict() for f in self.new],
                "fixed": [f.to_dict() for f in self.fixed],
                "still_open": [f.to_dict() for f in self.still_open],
            },
            "counts": {
                "new": len(self.new),
                "new_errors": len(self.new_errors),
                "fixed": len(self.fixed),
                "still_open": len(self.still_open),
            },
        }


def compare(old: Snapshot, new: Snapshot, old_label: str = "", new_label: str = "") -> AuditDiff:
    changes: dict[str, dict[str, dict[str, list[str]]]] = {}
    order = [p for p in PHASES if p in old.phases or p in new.phases]
    for phase in order:
        before, after = old.phases.get(phase, {}), new.phases.get(phase, {})
        for kind in KINDS:
            was, now = before.get(kind, set()), after.get(kind, set())
            appeared, gone = sorted(now - was), sorted(was - now)
            if appeared or gone:
                changes.setdefault(phase, {})[kind] = {"appeared": appeared, "gone": gone}

    def ordered(keys: Iterable[tuple[str, str | None, str]], side: Snapshot) -> list[FindingKey]:
        items = [side.findings[k] for k in keys]
        return sorted(items, key=_finding_order)

    return AuditDiff(
        old_label=old_label or old.generated_at or "",
        new_label=new_label or new.generated_at or "",
        changes=changes,
        new=ordered(new.findings.keys() - old.findings.keys(), new),
        fixed=ordered(old.findings.keys() - new.findings.keys(), old),
        still_open=ordered(new.findings.keys() & old.findings.keys(), new),
        old_incomplete=old.incomplete,
        new_incomplete=new.incomplete,
    )


def since_last_audit(
    previous: Path | None, observations: Any, findings: Iterable[Any]
) -> dict[str, Any] | None:
    """The "since the last audit" block of a report: the diff against ``previous``, or None.

    A previous report that cannot be read gives a block saying so rather than failing the
    audit that is running.
    """
    if previous is None:
        return None
    current = snapshot_of_run(observations, findings)
    try:
        old, label = load_report(previous)
    except DiffInputError as error:
        return {"error": str(error), "worse": False}
    result = compare(snapshot(old), current, old_label=label, new_label="this audit").to_dict()
    result["old_generated_at"] = old.get("generated_at")
    return result


def _finding_order(key: FindingKey) -> tuple[int, str, str]:
    index = PHASES.index(key.phase) if key.phase in PHASES else -1
    return (index, key.rule, key.subject)


def load_report(path: str | Path) -> tuple[dict[str, Any], str]:
    """A JSON report from a report folder, a controller's runs folder (its latest), or a file.

    Returns the report and a label for it (its run folder name or path).
    """
    from privacy_audit.history.runs import REPORT_FILE

    given = Path(path)
    file = given
    if given.is_dir():
        if (given / REPORT_FILE).is_file():
            file = given / REPORT_FILE
        else:
            latest = _latest_run(given)
            if latest is None or not (latest / REPORT_FILE).is_file():
                raise DiffInputError(
                    f"{given}: no report.json here; give a report folder, a controller's "
                    "folder of dated runs, or a report.json file"
                )
            file = latest / REPORT_FILE
    if not os.path.lexists(file):
        raise DiffInputError(f"{printable(str(given))}: no such report folder or file")
    try:
        data = load_json(
            file,
            REPORT_SCHEMA,
            "an audit report",
            "give a report folder or the report.json `privacy-pages audit` wrote",
        )
    except InputError as error:
        raise DiffInputError(str(error)) from None
    label = file.parent.name if file.name == REPORT_FILE else str(file)
    return data, printable(label)


def site_reports(path: str | Path) -> dict[str, Path] | None:
    """The ``report.json`` of each website of a several-site report or run folder, by URL.

    ``path`` is such a folder or a controller's folder of dated runs (its latest run);
    None when it is a report of one site (``load_report`` reads those).
    """
    from privacy_audit.history.runs import REPORT_FILE
    from privacy_audit.history.sites import read_sites_document

    folder = Path(path)
    if not folder.is_dir():
        return None
    try:
        document = read_sites_document(folder)
        if document is None and not (folder / REPORT_FILE).is_file():
            latest = _latest_run(folder)
            document = read_sites_document(latest) if latest is not None else None
            folder = latest if latest is not None else folder
        if document is None:
            return None
        return {
            site["url"]: confined_path(folder, site["folder"], what="site folder") / REPORT_FILE
            for site in document["sites"]
        }
    except (InputError, UnsafePath) as error:
        raise DiffInputError(str(error)) from None


def _latest_run(folder: Path) -> Path | None:
    """The latest run when ``folder`` is a controller's folder of dated runs."""
    from privacy_audit.history.runs import ControllerRuns

    folder = Path(os.path.abspath(folder))
    try:
        return ControllerRuns(folder.parent, folder.name).latest()
    except UnsafePath:
        return None


def format_text(diff: AuditDiff) -> str:
    """The diff for a terminal: one line per change, grouped by phase.

    Names come from the audited site (a storage key, a cookie): every control or invisible
    character in them is written as an escape, so none reaches the terminal."""
    lines = [f"audit diff {diff.old_label} -> {diff.new_label}"]
    if not diff.comparable:
        which = [
            n for n, bad in (("old", diff.old_incomplete), ("new", diff.new_incomplete)) if bad
        ]
        lines.append(
            f"not comparable: the {' and '.join(which)} run did not observe the site in full"
        )
    if diff.unchanged:
        lines.append("no change: same cookies, storage keys, third parties and findings")
    for phase, kinds in diff.changes.items():
        lines.append(f"{phase}:")
        for kind, moved in kinds.items():
            for name in moved["appeared"]:
                lines.append(f"  + {KIND_SINGULAR[kind]} {name}")
            for name in moved["gone"]:
                lines.append(f"  - {KIND_SINGULAR[kind]} {name}")
    for title, items in (("new", diff.new), ("fixed", diff.fixed)):
        for f in items:
            phase = f.phase or "declaration"
            lines.append(f"{title} finding: {f.rule} {f.severity} [{phase}] {f.subject}")
    lines.append(
        f"findings: {len(diff.new)} new ({len(diff.new_errors)} error), {len(diff.fixed)} fixed, "
        f"{len(diff.still_open)} still open"
    )
    return "\n".join(printable(line) for line in lines) + "\n"

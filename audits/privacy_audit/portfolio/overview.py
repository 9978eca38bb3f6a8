"""The portfolio: every client's latest audit, its errors by rule family and its trend.

Reads the dated runs (`runs.py`) under one or more output roots (one per shard or machine
merge into one view) and builds plain data (a client with several websites lists them in
``sites``, each with its own verdict and report); `portfolio_html.py` renders it, the command
writes it with the JSON beside it and a copy of each latest report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from privacy_audit.history.runs import HISTORY_DIR, REPORT_FILE, controllers_under, load_run_record
from privacy_pages import __version__
from privacy_pages.confined import UnsafePath, check_name
from privacy_pages.diagnostics import ExitCode
from privacy_pages.inputs import InputError, read_regular

PORTFOLIO_FORMAT_VERSION = 1
TREND_RUNS = 12
"""Runs shown in each client's trend: a year of monthly audits."""
REPORTS_DIR = "reports"


def build_portfolio(
    roots: Iterable[Path], trend_runs: int = TREND_RUNS, problems: list[str] | None = None
) -> dict[str, Any]:
    """The portfolio document: one entry per client, sorted by id; counts over all.

    A run whose ``run.json`` is not a valid run record, or a folder whose name is not a
    plain file name, is left out and named in ``problems`` (one line each).
    """
    problems = problems if problems is not None else []
    root_list = [Path(r) for r in roots]
    clients: list[dict[str, Any]] = []
    for controller_id, runs in controllers_under(root_list).items():
        try:
            check_name(controller_id, "controller folder")
        except UnsafePath as error:
            problems.append(f"{error}; left out")
            continue
        records: list[tuple[Path, dict[str, Any]]] = []
        for run in runs:
            try:
                records.append((run, load_run_record(run)))
            except InputError as error:
                problems.append(f"{error}; this run is left out")
        if not records:
            continue
        latest_run, latest = records[-1]
        counts = latest.get("counts") or {}
        clients.append(
            {
                "id": controller_id,
                "name": latest.get("name") or controller_id,
                "url": latest.get("url"),
                "verdict": latest.get("verdict"),
                "run": latest_run.name,
                "finished_at": latest.get("finished_at"),
                "counts": {k: int(counts.get(k, 0)) for k in ("error", "warning", "info")},
                "errors_by_family": dict(latest.get("errors_by_family") or {}),
                "findings": sorted(
                    (dict(f) for f in latest.get("findings") or []),
                    key=lambda f: (str(f.get("rule")), str(f.get("phase")), str(f.get("subject"))),
                ),
                "worse": bool(latest.get("worse")),
                "_file": latest.get("file"),
                "since_last_audit": latest.get("since_last_audit"),
                "previous_run": latest.get("previous_run"),
                "error": latest.get("error"),
                "trend": [
                    {
                        "run": run.name,
                        "verdict": rec.get("verdict"),
                        # A run that saw nothing has no count: a gap, never a 0.
                        "errors": _trend_count(rec),
                        "warnings": int((rec.get("counts") or {}).get("warning", 0)),
                    }
                    for run, rec in records[-trend_runs:]
                ],
                **_report_links(latest_run, controller_id),
                "sites": [
                    {
                        "url": site.get("url"),
                        "verdict": site.get("verdict"),
                        "counts": dict(site.get("counts") or {}),
                        "worse": bool(site.get("worse")),
                        **_report_links(latest_run / site["folder"], controller_id, site["folder"]),
                    }
                    for site in latest.get("sites") or []
                ],
            }
        )
    families = sorted({f for c in clients for f in c["errors_by_family"]})
    return {
        "format_version": PORTFOLIO_FORMAT_VERSION,
        "tool": {"name": "privacy-pages", "version": __version__},
        "generated_at": datetime.now(timezone.utc)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
        "families": families,
        "summary": {
            "clients": len(clients),
            "failing": sum(1 for c in clients if c["verdict"] == "fail"),
            "could_not_run": sum(
                1 for c in clients if c["verdict"] in ("could-not-run", "incomplete")
            ),
            "passing": sum(1 for c in clients if c["verdict"] == "pass"),
            "worse": sum(1 for c in clients if c["worse"]),
            "errors": sum(c["counts"]["error"] for c in clients),
        },
        "clients": clients,
    }


def _trend_count(record: dict[str, Any]) -> int | None:
    """A run's error count for the trend; None for a run that could not observe the site."""
    if record.get("verdict") in ("incomplete", "could-not-run"):
        return None
    return int((record.get("counts") or {}).get("error", 0))


def merged_history(roots: Iterable[Path]) -> list[dict[str, Any]]:
    """Every run's history entry under the roots (``_history/*.json``, one file per run, and
    the ``history.jsonl`` older versions appended to), oldest first, each once. Regular files
    only, within the input size limit; a line cut short by a crash is passed over."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for root in roots:
        folder = Path(root) / HISTORY_DIR
        files = [] if folder.is_symlink() else sorted(folder.glob("*.json"))
        lines: list[str] = []
        for file in [*files, Path(root) / "history.jsonl"]:
            try:
                lines += read_regular(file).decode("utf-8", errors="replace").splitlines()
            except InputError:
                continue  # missing, a link, a pipe or too large: not a history file of ours
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                key = (str(entry.get("controller")), str(entry.get("report")))
                entries.setdefault(key, entry)
    return sorted(
        entries.values(), key=lambda e: (str(e.get("started_at")), str(e.get("controller")))
    )


def _report_links(run: Path, *names: str) -> dict[str, Any]:
    """Where the portfolio folder holds a copy of the run's reports (``reports/<id>.html``,
    ``reports/<id>/<site>.html``), and where they come from: regular files only."""
    stem = "/".join(names)

    def copied(source: str, suffix: str) -> str | None:
        path = run / source
        return f"{REPORTS_DIR}/{stem}.{suffix}" if _regular(path) else None

    return {
        "report": copied("report.html", "html"),
        "report_json": copied(REPORT_FILE, "json"),
        "_source": str(run),
    }


def _regular(path: Path) -> bool:
    """A report to copy: a regular file, never a link that could point anywhere."""
    return path.is_file() and not path.is_symlink() and not path.parent.is_symlink()


def portfolio_exit_code(portfolio: dict[str, Any]) -> int:
    """4 when a client could not be audited (its site did not answer), else 1 when a client
    has error findings, else 0; 2 stays for a portfolio that could not be built."""
    summary = portfolio["summary"]
    if summary["could_not_run"]:
        return ExitCode.NOT_AUDITED
    return ExitCode.FINDINGS if summary["failing"] else ExitCode.OK


def public_document(portfolio: dict[str, Any]) -> dict[str, Any]:
    """The JSON as written: without the internal source paths of the run folders."""
    clients = [
        {**_public(c), "sites": [_public(site) for site in c["sites"]]}
        for c in portfolio["clients"]
    ]
    return {**portfolio, "clients": clients}


def _public(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if not k.startswith("_")}

"""The portfolio: every client's latest audit, its errors by rule family and its trend.

Reads the dated runs (`runs.py`) under one or more output roots (one per shard or machine
merge into one view) and builds plain data (a client with several websites lists them in
``sites``, each with its own verdict and report); `portfolio_html.py` renders it, the command
writes it with the JSON beside it and a copy of each latest report.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from privacy_audit.history.runs import REPORT_FILE, SITE_FOLDER, controllers_under, read_run_record
from privacy_pages import __version__

PORTFOLIO_FORMAT_VERSION = 1
TREND_RUNS = 12
"""Runs shown in each client's trend: a year of monthly audits."""
REPORTS_DIR = "reports"


def build_portfolio(roots: Iterable[Path], trend_runs: int = TREND_RUNS) -> dict[str, Any]:
    """The portfolio document: one entry per client, sorted by id; counts over all."""
    root_list = [Path(r) for r in roots]
    clients: list[dict[str, Any]] = []
    for controller_id, runs in controllers_under(root_list).items():
        records: list[tuple[Path, dict[str, Any]]] = []
        for run in runs:
            record = read_run_record(run)
            if record is not None:
                records.append((run, record))
        if not records:
            continue
        latest_run, latest = records[-1]
        counts = latest.get("counts") or {}
        clients.append(
            {
                "id": controller_id,
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
                        **_report_links(
                            latest_run / str(site["folder"]),
                            f"{controller_id}/{site['folder']}",
                        ),
                    }
                    for site in _sites(latest)
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


def _report_links(run: Path, name: str) -> dict[str, Any]:
    """Where the portfolio folder holds a copy of the run's reports, and where they come from."""
    return {
        "report": f"{REPORTS_DIR}/{name}.html" if (run / "report.html").is_file() else None,
        "report_json": f"{REPORTS_DIR}/{name}.json" if (run / REPORT_FILE).is_file() else None,
        "_source": str(run),
    }


def _sites(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The websites of a several-site run, those whose sub-folder name is one we write."""
    sites = record.get("sites") or []
    return [
        site
        for site in sites
        if isinstance(site, dict) and SITE_FOLDER.match(str(site.get("folder") or ""))
    ]


def portfolio_exit_code(portfolio: dict[str, Any]) -> int:
    """1 when any client has error findings or could not be audited, else 0."""
    summary = portfolio["summary"]
    return 1 if summary["failing"] or summary["could_not_run"] else 0


def public_document(portfolio: dict[str, Any]) -> dict[str, Any]:
    """The JSON as written: without the internal source paths of the run folders."""
    clients = [
        {**_public(c), "sites": [_public(site) for site in c["sites"]]}
        for c in portfolio["clients"]
    ]
    return {**portfolio, "clients": clients}


def _public(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if not k.startswith("_")}

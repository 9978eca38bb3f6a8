"""Several websites of one controller: one audit per site, each in its own folder, one verdict.

A controller may list several websites (``website`` and ``websites`` in the content model;
apps are left out, a store page is not the app). Each site gets its own three phases and
its own report files in a sub-folder named after its address (``shop.example.com``,
``example.com-blog``); ``sites.json`` beside them holds the combined verdict: the worst
site wins, and a site that could not be observed makes the whole run incomplete. The
"last audit" of a site, in a report folder or a controller's dated runs, is found here too
(`site_report`, `latest_report`), whether that folder held one site or several.

The content model does not scope a declared tracker to one site, so the whole cookie list
is matched against each site; a declared cookie seen on one of the sites is not reported as
never observed (DC02) on the others.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from privacy_audit.history.runs import REPORT_FILE, RUN_SCHEMA, ControllerRuns
from privacy_pages.atomic import write_text_atomic
from privacy_pages.diagnostics import ExitCode
from privacy_pages.inputs import InputError, load_json, read_regular

SITES_FILE = "sites.json"
SITES_FORMAT_VERSION = 1
MATCHING_NOTE = (
    "the declared cookie list is matched as a whole against each site (the content model "
    "does not say which site sets which cookie); a declared cookie seen on one site is not "
    "reported as never observed on the others"
)
_UNSAFE = re.compile(r"[^a-z0-9.]+")
SITE_FOLDER = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
"""A site's report sub-folder, as `site_folders` names it."""


def site_folders(urls: Sequence[str]) -> dict[str, str]:
    """Each URL's report sub-folder: host, port when not the default, path; unique."""
    folders: dict[str, str] = {}
    used: set[str] = set()
    for url in urls:
        parts = urlsplit(url)
        name = (parts.hostname or "site").lower()
        if parts.port:
            name += f"-{parts.port}"
        path = parts.path.strip("/")
        if path:
            name += "-" + path
        name = _UNSAFE.sub("-", name.lower()).strip(".-")[:80] or "site"
        unique, n = name, 1
        while unique in used:
            n += 1
            unique = f"{name}-{n}"
        used.add(unique)
        folders[url] = unique
    return folders


def combined_exit_code(codes: Iterable[int]) -> int:
    """The worst site wins: 2 (could not run) over 4 (could not observe) over 1 (error
    findings) over 0."""
    codes = list(codes)
    for code in (ExitCode.FAILURE, ExitCode.NOT_AUDITED, ExitCode.FINDINGS):
        if code in codes:
            return code
    return ExitCode.OK


def verdict_name(exit_code: int, observed: bool) -> str:
    """pass, fail, incomplete (crawled, too little seen) or could-not-run (no crawl at all)."""
    if exit_code in (ExitCode.FAILURE, ExitCode.NOT_AUDITED):
        return "incomplete" if observed else "could-not-run"
    return "fail" if exit_code == ExitCode.FINDINGS else "pass"


def combined_verdict(verdicts: Sequence[str]) -> str:
    """One verdict for a controller: incomplete as soon as one site was not observed."""
    if verdicts and all(v == "could-not-run" for v in verdicts):
        return "could-not-run"
    if any(v in ("incomplete", "could-not-run") for v in verdicts):
        return "incomplete"
    return "fail" if "fail" in verdicts else "pass"


def merge_since_last(blocks: Sequence[Mapping[str, Any] | None]) -> dict[str, Any] | None:
    """The sites' "since the last audit" blocks as one: worse when any site got worse."""
    present = [b for b in blocks if b]
    if not present:
        return None
    keys = ("new", "new_errors", "fixed", "still_open")
    counts = {k: sum(int((b.get("counts") or {}).get(k, 0)) for b in present) for k in keys}
    new = [f for b in present for f in ((b.get("findings") or {}).get("new") or [])]
    return {
        "worse": any(b.get("worse") for b in present),
        "counts": counts,
        "findings": {"new": new},
        "changes": {},
        "sites": [dict(b) for b in present],
    }


def drop_seen_elsewhere(
    findings_by_site: Sequence[list[Any]], observed: Sequence[bool]
) -> list[list[Any]]:
    """Remove a site's DC02 (declared, never seen) for a tracker another site did set.

    A tracker is seen on a site when that site was observed (``observed``: some phase saw
    its pages) and has no DC02 for the tracker's declaration (its pointer).
    """
    unseen = [
        {f.diagnostic.pointer for f in findings if f.rule == "DC02"}
        for findings in findings_by_site
    ]
    kept = []
    for index, findings in enumerate(findings_by_site):
        others = [u for i, u in enumerate(unseen) if i != index and observed[i]]
        kept.append(
            [
                f
                for f in findings
                if f.rule != "DC02" or all(f.diagnostic.pointer in u for u in others)
            ]
        )
    return kept


def write_sites_document(out_dir: Path, document: Mapping[str, Any]) -> Path:
    """``sites.json``: the combined verdict and where each site's reports are."""
    path = out_dir / SITES_FILE
    data = {"format_version": SITES_FORMAT_VERSION, **document}
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def read_sites_document(folder: Path) -> dict[str, Any] | None:
    """The ``sites.json`` of a report or run folder, or None when it has none.

    `InputError` when it is there but not a sites document (the run schema's
    ``sites_document``): each site's ``folder`` is then a plain sub-folder name.
    """
    path = folder / SITES_FILE
    if not os.path.lexists(path):
        return None
    return load_json(
        path,
        RUN_SCHEMA,
        "the sites.json of an audit",
        "give a report folder `privacy-pages audit` wrote",
        definition="sites_document",
    )


def latest_report(runs: ControllerRuns, folder: str = "", url: str = "") -> Path | None:
    """``report.json`` of the newest of ``runs`` that has one: the "last audit" to compare
    with.

    For one of several websites, ``folder`` is its report sub-folder and ``url`` its
    address: a run of the controller when it had one site only counts when it audited
    that address, and a run of several sites when it had a sub-folder for it.
    """
    for run in reversed(runs.runs()):
        found = site_report(run, folder, url)
        if found is not None:
            return found
    return None


def site_report(report_dir: Path, folder: str = "", url: str = "") -> Path | None:
    """The ``report.json`` of one site in a report or run folder, or None.

    ``folder`` is the site's sub-folder when the controller has several websites, ``url``
    its address. A folder holding one site's report counts for ``url`` only when that
    report audited it; a folder of several sites (``sites.json``) gives the sub-folder of
    ``url`` when asked for a single site: a controller that gained or lost a website keeps
    the history of the others.
    """
    if folder and (report_dir / folder / REPORT_FILE).is_file():
        return report_dir / folder / REPORT_FILE
    flat = report_dir / REPORT_FILE
    if flat.is_file():
        return flat if not folder or _target_url(flat) == url else None
    if folder:
        return None
    try:
        document = read_sites_document(report_dir) or {}
    except InputError:
        return None
    for site in document.get("sites") or []:
        if not isinstance(site, dict) or site.get("url") != url:
            continue
        name = str(site.get("folder") or "")
        if SITE_FOLDER.match(name) and (report_dir / name / REPORT_FILE).is_file():
            return report_dir / name / REPORT_FILE
    return None


def _target_url(report: Path) -> str | None:
    """The URL a report audited, read leniently: only to choose the report to compare with
    (`audit diff` and "since the last audit" read it in full, validated)."""
    try:
        data = json.loads(read_regular(report).decode("utf-8"))
    except (InputError, ValueError, RecursionError):
        return None
    return data.get("target_url") if isinstance(data, dict) else None

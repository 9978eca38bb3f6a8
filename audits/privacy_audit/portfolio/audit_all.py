"""``audit --all``: every controller with a website, or a stable shard of them, into dated runs.

For each controller (each of its websites, when it lists several): compare with its last
run, write a new dated run folder with a ``run.json`` beside the reports, move ``LATEST``,
apply ``--keep``, append a history line, and post to ``--webhook`` when the result got
worse. A file that cannot be read or validated is a failed run of its own. Exit codes: 2
when an audit could not run (or a file was refused, or an alert not delivered), else 3
when a client got worse than its previous run (new error findings), else 1 with error
findings, else 0.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from privacy_audit.history.runs import ControllerRuns, append_line, write_run_record
from privacy_audit.pipeline import (
    AuditInputError,
    AuditOptions,
    AuditResult,
    Console,
    audit_controller,
)
from privacy_audit.portfolio.shard import Shard, ShardError, parse_shard
from privacy_pages.confined import UnsafePath
from privacy_pages.diagnostics import ExitCode, Severity

HISTORY_FILE = "history.jsonl"


class PortfolioUsageError(Exception):
    """Bad input for a portfolio run: one line, exit code 2."""


@dataclass(frozen=True)
class PortfolioSettings:
    """``audit --all``: the content folder, where the runs go, which shard, what to keep, and
    where to post a client that got worse."""

    content_dir: Path
    out_root: Path
    shard: Shard | None = None
    keep: int | None = None
    webhook: str | None = None

    def __post_init__(self) -> None:
        if self.keep is not None and self.keep < 1:
            raise PortfolioUsageError(f"--keep: {self.keep} is out of range; keep at least 1 run")
        if self.webhook:
            check_webhook(self.webhook)

    @classmethod
    def read(
        cls,
        content_dir: str,
        out_root: str,
        *,
        shard: str | None = None,
        keep: int | None = None,
        webhook: str | None = None,
    ) -> PortfolioSettings:
        """The settings as given on the command line (``--shard I/N`` parsed here)."""
        return cls(Path(content_dir), Path(out_root), _shard(shard), keep, webhook)


def run_all(settings: PortfolioSettings, options: AuditOptions, console: Console) -> int:
    """Audit every controller with a website (or one shard of them), each into a new run."""
    from privacy_pages.model.content import discover

    files, missing = discover([str(settings.content_dir)])
    if missing:
        raise PortfolioUsageError(f"--all: {settings.content_dir}: no such folder")
    controllers, refused = _controllers(files, settings.out_root, console)
    if not controllers and refused:
        return ExitCode.FAILURE  # each refusal was said on its own line
    if not controllers:
        raise PortfolioUsageError(
            f"--all: {settings.content_dir}: no controller file with a `website` to audit"
        )
    shard = settings.shard
    chosen = [c for c in controllers if shard is None or shard.holds(c[1])]
    if shard is not None:
        console.say(f"audit: shard {shard}: {len(chosen)} of {len(controllers)} controller(s)")
    if "json" not in options.formats:  # the portfolio and the next run's diff read it
        options = replace(options, formats=(*options.formats, "json"))
    failed = any(shard is None or shard.holds(slug) for slug in refused)
    worse = errors = False
    for file, slug, website in chosen:
        outcome, notes = _audit_controller(settings, options, console, file, slug, website)
        failed |= outcome.exit_code == ExitCode.FAILURE or bool(notes)
        errors |= outcome.exit_code == ExitCode.FINDINGS
        worse |= outcome.worse
    if failed:
        return ExitCode.FAILURE
    if worse:
        return ExitCode.WORSE
    return ExitCode.FINDINGS if errors else ExitCode.OK


def _controllers(
    files: list[Path], out_root: Path, console: Console
) -> tuple[list[tuple[Path, str, str]], list[str]]:
    """What to audit: (file, folder name, first website) per controller; and the folder
    names of the files refused here (each named on one line).

    A valid controller's folder is its id. A file that cannot be read or validated is
    audited too, so that its failure is a run of its own in the portfolio, filed under
    its file name: its id is not to be trusted with a path. Ids come first, so a broken
    file never takes the folder of a valid controller. Every folder is checked by
    `confined_path` (and may not be a symlink) before anything is written.
    """
    from privacy_pages.model import Controller
    from privacy_pages.model.content import load_controller

    valid: list[tuple[Path, str, str]] = []
    broken: list[tuple[Path, str, str]] = []
    for file in files:
        document = load_controller(file)
        data = document.data if isinstance(document.data, dict) else {}
        websites = Controller(data).audited_websites or [""]
        if any(d.severity is Severity.ERROR for d in document.diagnostics):
            broken.append((file, file.stem, websites[0]))
        elif websites[0]:
            valid.append((file, str(data["id"]), websites[0]))
    seen: dict[str, Path] = {}
    chosen, refused = [], []
    for file, slug, website in [*valid, *broken]:
        if slug in seen:
            problem = f"{slug!r} is already the folder of {seen[slug]}; skipped (ids are unique)"
        else:
            try:
                ControllerRuns(out_root, slug).check_writable()
                problem = ""
            except UnsafePath as error:
                problem = f"{error}; skipped"
        if problem:
            console.error(f"{file}: {problem}")
            refused.append(slug)
            continue
        seen[slug] = file
        chosen.append((file, slug, website))
    return chosen, refused


def check_webhook(url: str) -> None:
    from privacy_audit.portfolio.webhook import check_webhook_url

    try:
        check_webhook_url(url)
    except ValueError as error:
        raise PortfolioUsageError(str(error)) from None


def _shard(text: str | None) -> Shard | None:
    if text is None:
        return None
    try:
        return parse_shard(text)
    except ShardError as error:
        raise PortfolioUsageError(str(error)) from None


def _audit_controller(
    settings: PortfolioSettings,
    options: AuditOptions,
    console: Console,
    file: Path,
    slug: str,
    website: str,
) -> tuple[AuditResult, list[str]]:
    """One controller into a new dated run; its bad input is its own failure, never the
    others'. The result, and the notes of what failed around it (an alert not delivered)."""
    runs = ControllerRuns(settings.out_root, slug)
    compared: list[Path] = []

    def previous(folder: str, url: str) -> Path | None:
        found = runs.latest_report(folder, url)
        if found is not None:
            compared.append(found)
        return found

    run_dir = runs.new_run_dir()
    try:
        result = audit_controller(file, options, run_dir, previous=previous, console=console)
    except AuditInputError as error:
        console.error(str(error))
        result = AuditResult(controller=str(file), url="", out_dir=run_dir, error=str(error))
    previous_run = max((runs.run_of(path) for path in compared), default=None)
    notes: list[str] = []
    if settings.webhook and result.worse:
        budget = options.crawl.budget
        problem = post_worse(settings.webhook, slug, result, run_dir, previous_run, console, budget)
        notes += [problem] if problem else []
    record = run_record(slug, result, previous_run, website)
    if notes:
        record["notes"] = notes
    write_run_record(run_dir, record)
    runs.set_latest(run_dir)
    if settings.keep:
        runs.prune(settings.keep)
    _append_history(settings.out_root / HISTORY_FILE, record, run_dir)
    return result, notes


def run_record(
    slug: str, result: AuditResult, previous_run: str | None, website: str = ""
) -> dict[str, Any]:
    """What ``run.json`` holds: enough for the portfolio without opening the report.

    A controller with several websites adds ``sites``: each site's URL, report sub-folder,
    verdict and counts; the top-level verdict and counts combine them.
    """
    findings = list(result.findings)
    by_family: dict[str, int] = {}
    for finding in findings:
        if finding.get("severity") == "error":
            family = _family(str(finding.get("rule")))
            by_family[family] = by_family.get(family, 0) + 1
    # A crawl that saw too little to judge (every page a fault) is incomplete, never pass.
    record = {
        "controller": slug,
        "file": str(result.controller),
        "url": result.url or website,
        "started_at": result.started_at or _now(),
        "finished_at": result.finished_at or _now(),
        "exit_code": result.exit_code,
        "verdict": result.verdict,
        "page_visits": result.pages,
        "counts": dict(result.counts),
        "errors_by_family": dict(sorted(by_family.items())),
        "findings": [
            {k: f.get(k) for k in ("rule", "severity", "phase", "subject", "site") if k in f}
            for f in findings
        ],
        "previous_run": previous_run,
        "since_last_audit": (result.since_last or {}).get("counts"),
        "worse": result.worse,
        "error": result.error,
    }
    if result.sites:
        record["sites"] = [site.summary() for site in result.sites]
    return record


def _family(rule_id: str) -> str:
    from privacy_audit.rules import RULES

    try:
        return str(RULES.get(rule_id).family)
    except KeyError:
        return rule_id.rstrip("0123456789")


def _append_history(history: Path, record: Mapping[str, Any], run_dir: Path) -> None:
    """One JSON line per run, appended: the file is a log, never rewritten."""
    line = {
        "controller": record["controller"],
        "file": record["file"],
        "url": record["url"],
        "started_at": record["started_at"],
        "finished_at": record["finished_at"],
        "exit_code": record["exit_code"],
        "page_visits": record["page_visits"],
        "findings": record["counts"],
        "report": str(run_dir),
        "error": record["error"],
        **({"notes": record["notes"]} if record.get("notes") else {}),
    }
    append_line(history, json.dumps(line, ensure_ascii=False))


def post_worse(
    url: str,
    slug: str,
    result: AuditResult,
    run_dir: Path,
    previous_run: str | None,
    console: Console,
    budget: float | None = None,
) -> str | None:
    """POST the summary of a client that got worse; None when delivered, else the one-line
    failure (also said), for the run's notes and its exit status. Each attempt is bounded
    by the webhook's deadline and by ``budget``."""
    from privacy_audit.portfolio.webhook import (
        WEBHOOK_DEADLINE,
        WebhookError,
        post_json,
        worse_payload,
    )

    sites = result.sites or [result]
    payload = worse_payload(
        slug,
        ", ".join(site.url for site in sites if site.worse),
        run_dir.name,
        previous_run or "",
        result.since_last or {},
    )
    deadline = WEBHOOK_DEADLINE if budget is None else max(0.5, min(WEBHOOK_DEADLINE, budget))
    try:
        post_json(url, payload, deadline)
    except WebhookError as error:
        console.error(str(error))
        return str(error)
    return None


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

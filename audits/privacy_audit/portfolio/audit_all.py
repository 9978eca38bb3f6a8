"""``audit --all``: every controller with a website, or a stable shard of them, into dated runs.

For each controller (each of its websites, when it lists several): compare with its last
run, write a new dated run folder with a ``run.json`` beside the reports, move ``LATEST``,
apply ``--keep``, write the run's history file (``_history/<run>-<id>.json``: one file per
run, so that pods sharing a volume never write the same file; the portfolio merges them),
and post to ``--webhook`` when the result got worse. A file that cannot be read or validated
is a failed run of its own. With ``--run-id``, a client already audited in that run (a
retried shard, a re-run CI job) is not audited again.

Exit codes: 2 when the tool failed (bad options, no browser, a file refused for its id, an
alert not delivered), else 4 when a client could not be audited (its site did not answer,
its file is broken: the portfolio names it), else 3 when a client got worse than its
previous run (new error findings), else 1 with error findings, else 0.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from privacy_audit.collect.host import BrowserHost
from privacy_audit.history.runs import (
    HISTORY_DIR,
    ControllerRuns,
    read_run_record,
    write_run_record,
)
from privacy_audit.history.sites import latest_report
from privacy_audit.pipeline import (
    AuditInputError,
    AuditOptions,
    AuditResult,
    Console,
    Observe,
    audit_controller,
)
from privacy_audit.portfolio.shard import Shard, ShardError, parse_shard
from privacy_pages.atomic import write_new_file
from privacy_pages.confined import UnsafePath, confined_path
from privacy_pages.diagnostics import ExitCode, Severity

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


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
    run_id: str | None = None
    """This scheduled run's label: a client already audited with it is not audited again."""

    def __post_init__(self) -> None:
        if self.run_id is not None and not RUN_ID.match(self.run_id):
            raise PortfolioUsageError(
                f"--run-id: {self.run_id!r}: use letters, digits, '.', '_' or '-' (100 at most)"
            )
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
        run_id: str | None = None,
    ) -> PortfolioSettings:
        """The settings as given on the command line (``--shard I/N`` parsed here)."""
        return cls(Path(content_dir), Path(out_root), _shard(shard), keep, webhook, run_id)


def run_all(settings: PortfolioSettings, options: AuditOptions, console: Console) -> int:
    """Audit every controller with a website (or one shard of them), each into a new run."""
    from privacy_pages.model.content import discover

    files, missing = discover([str(settings.content_dir)])
    if missing:
        raise PortfolioUsageError(f"--all: {settings.content_dir}: no such folder")
    controllers, refused, broken = _controllers(files, settings.out_root, console)
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
    _require_browser(options)
    failed = any(shard is None or shard.holds(slug) for slug in refused)
    unaudited = worse = errors = False
    lent = BrowserHost.current()  # the program's own host (`BrowserHost.lent`), or one for
    with nullcontext(lent) if lent else BrowserHost() as host:  # all: one driver, one Chromium
        for file, slug, website, name in chosen:
            outcome = _audit_or_skip(settings, options, console, host, file, slug, website, name)
            exit_code, got_worse, problems = outcome
            failed |= problems
            # One client's unreachable site or broken file: that client was not audited (the
            # portfolio names it); the tool itself failing (no browser starts) is exit 2.
            client_fault = exit_code == ExitCode.NOT_AUDITED or file in broken
            unaudited |= client_fault
            failed |= exit_code == ExitCode.FAILURE and not client_fault
            errors |= exit_code == ExitCode.FINDINGS
            worse |= got_worse
    if failed:
        return ExitCode.FAILURE
    if unaudited:
        return ExitCode.NOT_AUDITED
    if worse:
        return ExitCode.WORSE
    return ExitCode.FINDINGS if errors else ExitCode.OK


def _audit_or_skip(
    settings: PortfolioSettings,
    options: AuditOptions,
    console: Console,
    host: BrowserHost,
    file: Path,
    slug: str,
    website: str,
    name: str,
) -> tuple[int, bool, bool]:
    """One client of the run: its exit code, whether it got worse, whether something
    around it failed (an alert not delivered). Already audited in this run: its record."""
    done = _done_in_run(ControllerRuns(settings.out_root, slug), settings.run_id)
    if done is not None:
        console.say(f"audit: {slug}: already audited in run {settings.run_id}, skipped")
        record = read_run_record(done) or {}
        return int(record.get("exit_code", 0)), bool(record.get("worse")), False
    outcome, notes = _audit_controller(
        settings, options, console, file, slug, website, name, observe=host.observe
    )
    return outcome.exit_code, outcome.worse, bool(notes)


def _controllers(
    files: list[Path], out_root: Path, console: Console
) -> tuple[list[tuple[Path, str, str, str]], list[str], set[Path]]:
    """What to audit: (file, folder name, first website, company name) per controller; the
    folder names of the files refused here (each named on one line); the broken files.

    A valid controller's folder is its id. A file that cannot be read or validated is
    audited too, so that its failure is a run of its own in the portfolio, filed under
    its file name: its id is not to be trusted with a path. Ids come first, so a broken
    file never takes the folder of a valid controller. Every folder is checked by
    `confined_path` (and may not be a symlink) before anything is written.
    """
    from privacy_pages.model import Controller
    from privacy_pages.model.content import load_controller

    valid: list[tuple[Path, str, str, str]] = []
    broken: list[tuple[Path, str, str, str]] = []
    for file in files:
        document = load_controller(file)
        data = document.data if isinstance(document.data, dict) else {}
        websites = Controller(data).audited_websites or [""]
        if any(d.severity is Severity.ERROR for d in document.diagnostics):
            broken.append((file, file.stem, websites[0], file.stem))
        elif websites[0]:
            valid.append((file, str(data["id"]), websites[0], _company(data)))
    seen: dict[str, Path] = {}
    chosen, refused = [], []
    for file, slug, website, name in [*valid, *broken]:
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
        chosen.append((file, slug, website, name))
    return chosen, refused, {b[0] for b in broken}


def _company(data: Mapping[str, Any]) -> str:
    """How the portfolio names a valid client: its company name in its first language."""
    from privacy_pages.model import Controller
    from privacy_pages.render import plain_name

    model = Controller(data)
    return str(plain_name(model, model.default_language))


def _done_in_run(runs: ControllerRuns, run_id: str | None) -> Path | None:
    """The client's newest run when this ``--run-id`` made it and observed the site; a run
    of this id that could not audit the site is done again (and then replaced)."""
    if run_id is None:
        return None
    newest = runs.owned_runs()[-1:]
    record = read_run_record(newest[0]) if newest else None
    if not record or record.get("run_id") != run_id:
        return None
    return newest[0] if record.get("verdict") in ("pass", "fail") else None


def _require_browser(options: AuditOptions) -> None:
    """No Chromium is the tool failing, not every client failing: one line, exit 2."""
    from privacy_audit.collect.browser import BrowserNotFound, find_browser

    try:
        find_browser(options.crawl.browser)
    except BrowserNotFound as error:
        raise PortfolioUsageError(str(error)) from None


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
    name: str = "",
    observe: Observe | None = None,
) -> tuple[AuditResult, list[str]]:
    """One controller into a new dated run; its bad input is its own failure, never the
    others'. The result, and the notes of what failed around it (an alert not delivered)."""
    runs = ControllerRuns(settings.out_root, slug)
    # This run's earlier attempt at the client could not audit it (a retried shard): it is
    # replaced, so that each client has one dated run per run id. Only runs whose own
    # run.json names this client (never a symlink) are candidates, as for --keep.
    for earlier in runs.owned_runs() if settings.run_id else ():
        if (read_run_record(earlier) or {}).get("run_id") == settings.run_id:
            shutil.rmtree(earlier)
    compared: list[Path] = []

    def previous(folder: str, url: str) -> Path | None:
        found = latest_report(runs, folder, url)
        if found is not None:
            compared.append(found)
        return found

    run_dir = runs.new_run_dir()
    try:
        result = audit_controller(
            file, options, run_dir, previous=previous, console=console, observe=observe
        )
    except AuditInputError as error:
        console.error(str(error))
        result = AuditResult(controller=str(file), url="", out_dir=run_dir, error=str(error))
    previous_run = max((runs.run_of(path) for path in compared), default=None)
    notes: list[str] = []
    if settings.webhook and result.worse:
        budget = options.crawl.budget
        problem = post_worse(settings.webhook, slug, result, run_dir, previous_run, console, budget)
        notes += [problem] if problem else []
    record = {**run_record(slug, result, previous_run, website), "name": name or slug}
    if settings.run_id:
        record["run_id"] = settings.run_id
    if notes:
        record["notes"] = notes
    write_run_record(run_dir, record)
    runs.set_latest(run_dir)
    if settings.keep:
        runs.prune(settings.keep)
    write_history(settings.out_root, record, run_dir)
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


def write_history(out_root: Path, record: Mapping[str, Any], run_dir: Path) -> Path:
    """The run's history entry in a file of its own, ``_history/<run>-<id>.json``: pods
    appending lines to one shared file could interleave them; the portfolio merges these.
    A new file, never written over anything (a link, a pipe) that holds its name."""
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
    folder = confined_path(out_root, HISTORY_DIR, what="history folder")
    folder.mkdir(parents=True, exist_ok=True)
    path = confined_path(folder, f"{run_dir.name}-{record['controller']}.json")
    write_new_file(path, (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
    return path


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

"""`privacy-pages audit`: collect in a real Chromium, inspect against the YAML, write reports.

Exit codes: 0 no error finding, 1 error findings, 2 the audit could not run (bad input, no
browser, no page of the site could be loaded). Playwright is imported only when an audit
runs: the CLI imports this module to build its --help.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from privacy_pages.atomic import atomic_directory
from privacy_pages.diagnostics import Severity

from .settings import AuditSettings, SettingsError, parse_resolve

HELP = (
    "audit a live site in a real Chromium: cookies before consent, after refusal, after acceptance"
)

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
DEFAULT_OUT = "audit-report"
DEFAULT_FORMATS = "html,json,junit"
OBSERVATIONS_FILE = "observations.json"
HISTORY_FILE = "history.jsonl"


class UsageError(Exception):
    """Bad input: one line, exit code 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "controller",
        nargs="?",
        metavar="CONTROLLER.yaml",
        help="the controller whose site to audit (its `website` is the default URL)",
    )
    parser.add_argument("--url", help="page to start from (default: the controller's website)")
    parser.add_argument(
        "--pages",
        type=int,
        default=10,
        metavar="N",
        help="same-site pages to visit per phase, from links and sitemap.xml (default 10)",
    )
    parser.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help=f"report folder, replaced whole when the audit succeeds (default {DEFAULT_OUT}/)",
    )
    parser.add_argument(
        "--format",
        default=DEFAULT_FORMATS,
        metavar="LIST",
        help=f"reports to write, comma-separated: html, json, junit (default {DEFAULT_FORMATS})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds a page may take to load (default 30)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=600.0,
        metavar="S",
        help="seconds for the whole audit, all phases (default 600)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=2,
        metavar="N",
        help="pages loaded in parallel within a phase (default 2)",
    )
    parser.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST=IP",
        help="send HOST to IP (audit a staging server under its real name); repeatable",
    )
    parser.add_argument(
        "--ignore-https-errors",
        action="store_true",
        help="accept invalid TLS certificates (staging servers, tests)",
    )
    parser.add_argument(
        "--browser",
        metavar="PATH",
        help="Chromium to drive (default: $PRIVACY_PAGES_CHROMIUM, Playwright's, the system's)",
    )
    parser.add_argument(
        "--knowledge-base",
        action="append",
        default=[],
        metavar="CSV",
        help="Open Cookie Database CSV (path or URL) naming known cookies; repeatable",
    )
    parser.add_argument(
        "--serve",
        metavar="DIR",
        help="serve this static folder on 127.0.0.1 and audit it (demo, local builds)",
    )
    parser.add_argument(
        "--all",
        metavar="CONTENT_DIR",
        dest="all_dir",
        help="audit every controller with a website; appends to <out>/history.jsonl",
    )
    parser.add_argument(
        "--severity",
        action="append",
        default=[],
        metavar="RULE=LEVEL",
        help="override a rule's severity (error, warning, info), e.g. DC02=warning; repeatable",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary and errors")


def run(args: argparse.Namespace) -> int:
    try:
        if args.all_dir:
            return _run_all(args)
        if not args.controller:
            raise UsageError("give a CONTROLLER.yaml file, or --all CONTENT_DIR")
        result = _audit_one(Path(args.controller), args, Path(args.out or DEFAULT_OUT))
        return result.exit_code
    except UsageError as error:
        _error(str(error))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        _reap_children()
        raise


@dataclass
class AuditResult:
    controller: str
    url: str
    out_dir: Path
    exit_code: int
    started_at: str = ""
    finished_at: str = ""
    pages: int = 0
    counts: Mapping[str, int] | None = None
    error: str | None = None


def _audit_one(path: Path, args: argparse.Namespace, out_dir: Path) -> AuditResult:
    from privacy_pages.content import ContentError, require_controller

    if not path.is_file():
        raise UsageError(f"{path}: no such controller file")
    try:
        data = require_controller(path).data or {}
    except ContentError as error:
        raise UsageError(str(error)) from None
    from .report import parse_formats

    try:
        formats = parse_formats(args.format)
    except ValueError as error:
        raise UsageError(f"--format: {error}") from None
    knowledge = _load_knowledge(args.knowledge_base)
    severities = _severities(args.severity)
    _check_out_dir(out_dir)
    with ExitStack() as stack:
        url = _target_url(path, data, args, stack)
        try:
            settings = AuditSettings(
                url=url,
                pages=args.pages,
                timeout=args.timeout,
                budget=args.budget,
                concurrency=args.concurrency,
                resolve=parse_resolve(args.resolve),
                ignore_https_errors=args.ignore_https_errors,
                browser=args.browser,
            )
        except SettingsError as error:
            raise UsageError(str(error)) from None
        return _collect_and_report(
            path, data, settings, knowledge, severities, formats, out_dir, args.quiet
        )


def _check_out_dir(out_dir: Path) -> None:
    """The report folder is replaced whole: never a folder that holds anything but a report."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise UsageError(f"--out: {out_dir} is a file; give a folder for the report")
    names = {p.name for p in out_dir.iterdir()}
    if names and OBSERVATIONS_FILE not in names:
        raise UsageError(
            f"--out: {out_dir} is not empty and holds no previous audit report; the report "
            "folder is replaced whole, so give a new or report folder"
        )


def _target_url(
    path: Path, data: Mapping[str, Any], args: argparse.Namespace, stack: ExitStack
) -> str:
    if args.serve:
        if args.url:
            raise UsageError(
                "--serve and --url exclude each other: --serve audits the folder it serves"
            )
        folder = Path(args.serve)
        if not folder.is_dir():
            raise UsageError(f"--serve: {args.serve}: no such folder")
        from .serve import StaticServer

        website = _website(path, data) or "/"
        server = stack.enter_context(StaticServer(folder))
        return urljoin(server.url(), urlsplit(website).path or "/")
    if args.url:
        return str(args.url)
    url = _website(path, data)
    if not url:
        raise UsageError(
            f"{path}: the controller has no `website` to audit; add `website: https://...` "
            "to the file or pass --url"
        )
    return url


def _website(path: Path, data: Mapping[str, Any]) -> str | None:
    """The controller's `website`, checked: a malformed one is a line naming the file."""
    website = data.get("website")
    if not website:
        return None
    try:
        parts = urlsplit(str(website))
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(
            f"{path}: website: {str(website)!r} is not a valid http(s) URL; fix `website:` "
            "in the file or pass --url"
        )
    return str(website)


def _severities(values: list[str]) -> dict[str, Any]:
    from .rules import parse_severity_overrides

    try:
        return parse_severity_overrides(",".join(values))
    except ValueError as error:
        raise UsageError(f"--severity: {error}") from None


def _load_knowledge(sources: list[str]) -> Any:
    from privacy_pages.knowledge import KnowledgeError, load_knowledge

    try:
        return load_knowledge(sources)
    except KnowledgeError as error:
        raise UsageError(f"--knowledge-base: {error}") from None


def _collect_and_report(
    path: Path,
    data: Mapping[str, Any],
    settings: AuditSettings,
    knowledge: Any,
    severities: Mapping[str, Any],
    formats: list[str],
    out_dir: Path,
    quiet: bool,
) -> AuditResult:
    from .browser import BrowserNotFound
    from .collect import AuditError, collect
    from .inspect import inspect
    from .verdict import judge
    from .report import write_reports
    from .suppressions import apply_suppressions

    progress = None if quiet else (lambda message: print(f"audit: {message}", file=sys.stderr))
    result = AuditResult(
        controller=str(path), url=settings.url, out_dir=out_dir, exit_code=EXIT_FAILURE
    )
    try:
        with atomic_directory(out_dir) as staging:
            observations = collect(settings, staging, progress)
            (staging / OBSERVATIONS_FILE).write_text(observations.to_json(), encoding="utf-8")
            findings = apply_suppressions(
                inspect(observations, data, knowledge, severities=severities), data
            )
            written = write_reports(
                staging, observations, findings, formats, data, knowledge=knowledge
            )
    except (BrowserNotFound, AuditError) as error:
        _error(str(error))
        result.error = str(error)
        return result
    result.started_at, result.finished_at = observations.started_at, observations.finished_at
    result.pages = sum(len(phase.pages) for phase in observations.phases)
    active = [f for f in findings if not f.suppressed]
    result.counts = {s.label: sum(1 for f in active if f.severity is s) for s in Severity}
    verdict = judge(observations, findings)
    result.exit_code = verdict.exit_code
    if verdict.faults:
        result.error = f"{settings.url}: incomplete, {verdict.reason}"
        _error(result.error)
    counts = ", ".join(f"{n} {label}" for label, n in sorted(result.counts.items(), reverse=True))
    suppressed = len(findings) - len(active)
    print(
        f"{path}: {settings.url}: {len(active)} finding(s) ({counts}) "
        f"in {result.pages} page visit(s)"
        + (f"; {suppressed} suppressed with a reason" if suppressed else "")
    )
    for name, file in written.items():
        print(f"  {name}: {out_dir / file.name}")
    return result


def _run_all(args: argparse.Namespace) -> int:
    """Every controller with a website, one report folder each, one history line per run."""
    from privacy_pages.content import discover, load_controller

    if args.controller or args.serve or args.url:
        raise UsageError(
            "--all audits each controller's own website: no CONTROLLER, --url or --serve"
        )
    files, missing = discover([args.all_dir])
    if missing:
        raise UsageError(f"--all: {args.all_dir}: no such folder")
    out_root = Path(args.out or DEFAULT_OUT)
    worst = EXIT_OK
    audited = 0
    for file in files:
        document = load_controller(file)
        data = document.data if isinstance(document.data, dict) else {}
        if not data.get("website"):
            continue
        audited += 1
        slug = str(data.get("id") or file.stem)
        try:
            result = _audit_one(file, args, out_root / slug)
        except UsageError as error:
            _error(str(error))
            result = AuditResult(
                str(file), str(data.get("website")), out_root / slug, EXIT_FAILURE, error=str(error)
            )
        _append_history(out_root / HISTORY_FILE, slug, result)
        worst = max(worst, result.exit_code)
    if not audited:
        raise UsageError(f"--all: {args.all_dir}: no controller file with a `website` to audit")
    return worst


def _append_history(history: Path, slug: str, result: AuditResult) -> None:
    """One JSON line per run, appended: the file is a log, never rewritten."""
    history.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "controller": slug,
        "file": result.controller,
        "url": result.url,
        "started_at": result.started_at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "finished_at": result.finished_at,
        "exit_code": result.exit_code,
        "page_visits": result.pages,
        "findings": dict(result.counts or {}),
        "report": str(result.out_dir),
        "error": result.error,
    }
    with history.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _error(message: str) -> None:
    for line in message.splitlines() or [message]:
        print(f"privacy-pages audit: error: {line}", file=sys.stderr)


def _reap_children() -> None:
    """After Ctrl-C, end any browser process this run started that is still alive.

    Playwright closes its browsers when interrupted; this is the belt to its braces, and it
    only touches descendants of this very process, by their id.
    """
    from .browser import descendants

    for pid in descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

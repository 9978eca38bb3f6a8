"""`privacy-pages portfolio AUDITS... --out DIR`: one page and one JSON for every client.

DIR gets ``index.html`` (self-contained), ``portfolio.json``, ``history.jsonl`` (every run's
history entry, merged from the shards' ``_history/`` folders) and ``reports/<id>.html`` /
``.json`` (each client's latest report; ``reports/<id>/<site>.html`` for each website of a
client with several, copied so the folder can be published as is, e.g.
as a GitHub Pages artifact). DIR is replaced whole, so it must be new, empty or a previous
portfolio (its marker file, `privacy_pages.owned`), and it may neither contain nor lie inside
an audits folder or a content folder. Exit codes: 0 every client passes, 1 a client has
error findings, 4 a client could not be audited (its site did not answer), 2 the command
itself could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from privacy_audit.portfolio.overview import (
    REPORTS_DIR,
    TREND_RUNS,
    build_portfolio,
    merged_history,
    portfolio_exit_code,
    public_document,
)
from privacy_audit.portfolio.page import render_portfolio
from privacy_audit.report.options import ReportOptions, ReportOptionsError, add_report_arguments
from privacy_pages.atomic import atomic_directory
from privacy_pages.confined import confined_path, split_relative
from privacy_pages.diagnostics import ExitCode, printable
from privacy_pages.owned import NotOurFolder, OwnedFolder, holds_only

HELP = "one page and one JSON for every audited client: verdicts, errors by family, trends"
PORTFOLIO_JSON = "portfolio.json"
HISTORY_FILE = "history.jsonl"
"""Every run of every root, one JSON line each, merged from the runs' own history files."""
PORTFOLIO_FOLDER = OwnedFolder(
    marker=".privacy-pages-portfolio",
    command="privacy-pages portfolio",
    noun="portfolio folder",
    example="portfolio/",
    # Written before the marker existed: nothing but what a portfolio holds.
    legacy=lambda folder: holds_only(
        folder, {"index.html", PORTFOLIO_JSON, REPORTS_DIR}, {PORTFOLIO_JSON}
    ),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "roots",
        nargs="+",
        metavar="AUDITS_DIR",
        help="output folders of `audit --all` (several: one per shard or machine)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write the portfolio")
    parser.add_argument("--title", default="Privacy audits", help="the page's title")
    add_report_arguments(parser)
    parser.add_argument(
        "--trend",
        type=int,
        default=TREND_RUNS,
        metavar="N",
        help=f"runs shown in each client's trend (default {TREND_RUNS})",
    )


def run(args: argparse.Namespace) -> int:
    roots = [Path(r) for r in args.roots]
    missing = [str(r) for r in roots if not r.is_dir()]
    if missing:
        return _fail(f"{', '.join(missing)}: no such folder; give the --out folder of audit --all")
    if not 1 <= args.trend <= 1000:
        return _fail(f"--trend: {args.trend} is out of range; allowed 1 to 1000")
    out = Path(args.out)
    try:
        presentation = ReportOptions.from_args(args).presentation()
    except ReportOptionsError as error:
        return _fail(str(error))
    problems: list[str] = []
    portfolio = build_portfolio(roots, args.trend, problems)
    for problem in problems:
        print(f"privacy-pages portfolio: warning: {printable(problem)}", file=sys.stderr)
    try:
        PORTFOLIO_FOLDER.check(out, apart=[*roots, *_content_folders(portfolio)])
    except NotOurFolder as error:
        return _fail(f"--out: {error}")
    if not portfolio["clients"]:
        return _fail(f"{', '.join(map(str, roots))}: no audit run found (run `audit --all` first)")
    html = render_portfolio(portfolio, args.title, presentation)
    with atomic_directory(out) as staging:
        reports = staging / REPORTS_DIR
        reports.mkdir()
        for entry in _entries(portfolio):
            source = Path(entry["_source"])
            for key, name in (("report", "report.html"), ("report_json", "report.json")):
                if entry[key]:
                    target = confined_path(staging, *split_relative(entry[key]))
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source / name, target, follow_symlinks=False)
        document = public_document(portfolio)
        (staging / PORTFOLIO_JSON).write_text(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (staging / "index.html").write_text(html, encoding="utf-8")
        history = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in merged_history(roots))
        (staging / HISTORY_FILE).write_text(history, encoding="utf-8")
        PORTFOLIO_FOLDER.mark(staging)
        _apply_umask(staging)
    summary = portfolio["summary"]
    print(
        f"portfolio: {summary['clients']} client(s): {summary['failing']} failing, "
        f"{summary['could_not_run']} could not run, {summary['passing']} passing, "
        f"{summary['worse']} worse than before"
    )
    print(f"  html: {out / 'index.html'}\n  json: {out / PORTFOLIO_JSON}")
    return portfolio_exit_code(portfolio)


def _entries(portfolio: dict[str, Any]) -> list[dict[str, Any]]:
    """Every client, and every website of a client with several: each has its own reports."""
    return [e for client in portfolio["clients"] for e in (client, *client["sites"])]


def _apply_umask(folder: Path) -> None:
    """Normal permissions: the staging folder is created private; the result follows umask."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def _content_folders(portfolio: dict[str, Any]) -> list[Path]:
    """The folders of the controller files the runs audited, and ./content: never inside the
    portfolio, which is replaced whole (the working folder itself is always kept)."""
    folders = {Path("content")}
    for client in portfolio["clients"]:
        if isinstance(client.get("_file"), str) and client["_file"]:
            folders.add(Path(client["_file"]).parent)
    here = Path.cwd().resolve()
    return sorted(f for f in folders if f.is_dir() and f.resolve() != here)


def _fail(message: str) -> int:
    print(f"privacy-pages portfolio: error: {printable(message)}", file=sys.stderr)
    return ExitCode.FAILURE

"""The accuracy sites (tests/data/audit/accuracy/): audit one, and say phase by phase what it
got wrong against its expectations. Shared by test_accuracy.py and bench/accuracy.py.

A phase is right when every expectation of it holds; `mismatches` lists, per phase, what did
not. `outcome` is what two runs in a row must have identical: what each phase saw and found.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from privacy_audit.collect.host import BrowserHost
from privacy_audit.observations import Observations, PhaseObservations
from privacy_pages.cli import main

from .site_server import SITES, SiteServer

SPECS = Path(__file__).resolve().parents[1] / "data" / "audit" / "accuracy"
SITE_NAMES = sorted(p.stem for p in SPECS.glob("*.yaml"))
CREDITED = re.compile(r"^(srv|js|store|frm|frmjs|frmstore)_(\w+)$")
"""The attribution site's cookies: how each was set, and the page (``index``, ``p3``)."""
CREDITED_STORAGE = re.compile(r"^(prop|tab|frmprop)_(\w+)$")
"""Its storage keys, each written as a property (``localStorage.prop_p3 = ...``), which no
hook sees: the page's localStorage and sessionStorage, its third-party frame's localStorage."""
LOAD_VARIABLE = "PRIVACY_PAGES_TEST_LOAD"
"""Busy processes to run beside the accuracy audits (a loaded machine); none by default."""


def spec(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((SPECS / f"{name}.yaml").read_text(encoding="utf-8")))


@dataclass
class Run:
    """One audit of an accuracy site through the command line, and what it wrote."""

    server: SiteServer
    code: int
    observations: Observations
    report: dict[str, Any]

    def path(self, url: str) -> str:
        """A page's address as the expectations write it: its path on the shop, or on another
        host of the site's server its host and path (``www.boutique.test/contact.html``)."""
        for prefix in (self.server.url(""), self.server.url("", https=True)):
            if url.startswith(prefix):
                return url[len(prefix) :] or "/"
        parts = urlsplit(url)
        if parts.port in (self.server.http_port, self.server.https_port):
            return f"{parts.hostname}{parts.path or '/'}"
        return url

    def findings(self, phase: str) -> list[dict[str, Any]]:
        return [
            f
            for f in self.report["findings"]
            if f.get("phase") == phase or phase in (f.get("phases") or [])
        ]


def audit(name: str, server: SiteServer, out: Path, host: BrowserHost | None = None) -> Run:
    """``privacy-pages audit`` of the site with the default settings, plus its ``options``;
    with ``host``, on its driver and Chromium (`BrowserHost.lent`)."""
    url = server.url(https=bool(spec(name).get("https")))
    argv = ["audit", str(SITES / name / "controller.yaml"), "--url", url]
    argv += ["--out", str(out), "--ignore-https-errors", "--quiet"]
    for option, value in (spec(name).get("options") or {}).items():
        argv += [f"--{option}", str(value)]
    for rule in server.resolve:
        argv += ["--resolve", rule]
    with host.lent() if host is not None else nullcontext():
        code = main(argv)
    observations = Observations.from_json((out / "observations.json").read_text("utf-8"))
    report = json.loads((out / "report.json").read_text("utf-8"))
    return Run(server, code, observations, report)


def mismatches(name: str, run: Run) -> dict[str, list[str]]:
    """Per phase, each expectation of the site that the run did not meet."""
    phases = spec(name)["phases"]
    result = {}
    for phase in run.observations.phases:
        expected = phases.get(phase.phase) or phases.get("any")
        if expected is not None:
            result[phase.phase] = _phase_mismatches(expected, phase, run)
    for missing in set(phases) - set(result) - {"any"}:
        result[missing] = ["phase not observed"]
    return result


def run_mismatches(name: str, run: Run) -> list[str]:
    """What the whole run must say (exit code, verdict, faults), when the site says it."""
    expected = spec(name).get("run") or {}
    wrong = []
    if "exit" in expected and run.code != expected["exit"]:
        wrong.append(f"exit {run.code}, expected {expected['exit']}")
    summary = run.report.get("summary") or {}
    concurrency = run.observations.settings.get("concurrency")
    if "concurrency" in expected and concurrency != expected["concurrency"]:
        wrong.append(f"audited with concurrency {concurrency}, expected {expected['concurrency']}")
    if "verdict" in expected and summary.get("verdict") != expected["verdict"]:
        wrong.append(f"verdict {summary.get('verdict')}, expected {expected['verdict']}")
    if "failed_pages" in expected:
        failed = sum(1 for phase in run.observations.phases for p in phase.pages if p.error)
        if failed != expected["failed_pages"]:
            wrong.append(f"{failed} failed pages, expected {expected['failed_pages']}")
    faults = " ".join(summary.get("faults") or [])
    for words in expected.get("faults") or []:
        if words not in faults:
            wrong.append(f"faults {faults!r} do not say {words!r}")
    return wrong


def _phase_mismatches(expected: dict[str, Any], phase: PhaseObservations, run: Run) -> list[str]:
    wrong: list[str] = []

    def check(what: str, seen: Any, wanted: Any) -> None:
        if seen != wanted:
            wrong.append(f"{what}: {seen!r}, expected {wanted!r}")

    if "pages" in expected:
        check("pages", [run.path(p.url) for p in phase.pages], expected["pages"])
    if expected.get("failed", 0) is not None:
        check("failed pages", sum(1 for p in phase.pages if p.error), expected.get("failed", 0))
    if "cookies" in expected:
        check("cookies", sorted({c.name for c in phase.cookies}), expected["cookies"])
    if "storage" in expected:
        check("storage", sorted({s.key for s in phase.storage}), expected["storage"])
    if "set_by" in expected:  # the host of the response (or script) that set each cookie
        setters = {c.name: urlsplit(c.set_by_url or "").hostname for c in phase.cookies}
        check(
            "set by", {name: setters.get(name) for name in expected["set_by"]}, expected["set_by"]
        )
    if "hosts" in expected:
        check("hosts", sorted({r.host for r in phase.requests}), expected["hosts"])
    if "consent_params" in expected:
        seen = {r.host: _params(r) for r in phase.requests if _params(r)}
        check("consent parameters", seen, expected["consent_params"])
    if expected.get("credited") == "suffix":
        wrong += _credit_mismatches(phase, run)
    banner = phase.banner
    for key, wanted in (expected.get("banner") or {}).items():
        if banner is None:
            wrong.append("no banner result")
            break
        if key == "clicked":
            check("clicked", [c for c in banner.clicked if not c.startswith("(")], wanted)
        elif key == "wall":
            check("wall", getattr(banner, "wall", None) is not None, wanted)
        elif key == "says":
            if wanted not in banner.detail:
                wrong.append(f"banner detail {banner.detail!r} does not say {wanted!r}")
        elif key == "controls":
            check("measured controls", sorted(getattr(banner, "controls", None) or {}), wanted)
        else:
            check(f"banner {key}", getattr(banner, key, None), wanted)
    found = run.findings(phase.phase)
    for item in expected.get("findings") or []:
        rule, keys = (item, []) if isinstance(item, str) else (item["rule"], item["details"])
        hits = [f for f in found if f["rule"] == rule]
        if not hits:
            wrong.append(f"{rule} not found")
        elif not any(set(keys) <= set(f.get("details") or {}) for f in hits):
            wrong.append(f"{rule} without details {keys}")
    for rule in expected.get("no_findings") or []:
        if any(f["rule"] == rule for f in found):
            wrong.append(f"{rule} found")
    return wrong


def _params(request: Any) -> dict[str, list[str]]:
    return dict(getattr(request, "consent_params", None) or {})


def _credit_mismatches(phase: PhaseObservations, run: Run) -> list[str]:
    """Each attribution cookie credited to the page its name ends with; all of them seen."""
    pages = {run.path(p.url) for p in phase.pages}
    wanted = {
        f"{kind}_{page}"
        for kind in ("srv", "js", "store", "frm", "frmjs", "frmstore")
        for page in ("index", *(p[1:-5] for p in pages if p != "/"))
    }
    seen = {c.name for c in phase.cookies if CREDITED.match(c.name)}
    wrong = [f"{name} not seen" for name in sorted(wanted - seen)]
    credited = sum(1 for c in phase.cookies if CREDITED.match(c.name) and _credited(c, run))
    total = sum(1 for c in phase.cookies if CREDITED.match(c.name))
    if credited != total:
        wrong.append(f"{credited} of {total} cookies credited to the page that set them")
    keys = [s for s in phase.storage if CREDITED_STORAGE.match(s.key)]
    wanted_keys = {
        f"{kind}_{page}"
        for kind in ("prop", "tab", "frmprop")
        for page in ("index", *(p[1:-5] for p in pages if p != "/"))
    }
    wrong += [f"storage key {k} not seen" for k in sorted(wanted_keys - {s.key for s in keys})]
    miscredited = sorted(s.key for s in keys if not _credited_page(s.key, s.page_url, run))
    if miscredited:
        wrong.append(
            f"{len(keys) - len(miscredited)} of {len(keys)} storage keys credited to the page "
            f"that wrote them; not: {', '.join(miscredited)}"
        )
    return wrong


def _credited(cookie: Any, run: Run) -> bool:
    return _credited_page(cookie.name, cookie.page_url, run)


def _credited_page(name: str, page_url: str, run: Run) -> bool:
    match = CREDITED.match(name) or CREDITED_STORAGE.match(name)
    assert match is not None
    page = match.group(2)
    return run.path(page_url) == ("/" if page == "index" else f"/{page}.html")


def credit_share(run: Run) -> float:
    """The share of attribution cookies credited to the page that set them, every phase."""
    cookies = [c for p in run.observations.phases for c in p.cookies if CREDITED.match(c.name)]
    return sum(_credited(c, run) for c in cookies) / len(cookies) if cookies else 0.0


def outcome(run: Run, *, any_phase: bool = False) -> dict[str, Any]:
    """What the run saw and found, phase by phase, without times or ports: two runs in a row
    of the same site must give the same. With ``any_phase``, which phase saw what is left
    out (a site whose first request misbehaves, whichever phase sent it)."""
    phases = {}
    for phase in run.observations.phases:
        banner = phase.banner
        phases[phase.phase] = {
            "pages": [(run.path(p.url), p.status, p.error_kind) for p in phase.pages],
            "cookies": sorted((c.name, c.domain, run.path(c.page_url)) for c in phase.cookies),
            "storage": sorted((s.kind, s.key) for s in phase.storage),
            "hosts": sorted((r.host, json.dumps(_params(r))) for r in phase.requests),
            "banner": None
            if banner is None
            else (banner.detected, banner.succeeded, banner.cmp, tuple(banner.clicked)),
        }
    findings = sorted(
        (f["rule"], f.get("phase") or "", json.dumps(f.get("cookie") or f.get("host") or ""))
        for f in run.report["findings"]
    )
    if any_phase:
        return {
            "code": run.code,
            "phases": sorted(json.dumps(seen, sort_keys=True) for seen in phases.values()),
            "findings": sorted((rule, subject) for rule, _, subject in findings),
        }
    return {"code": run.code, "phases": phases, "findings": findings}


def busy_count() -> int:
    raw = os.environ.get(LOAD_VARIABLE, "0")
    try:
        return max(0, int(raw))
    except ValueError:
        raise SystemExit(f"{LOAD_VARIABLE}={raw!r}: give a whole number of busy processes")


@contextmanager
def busy_machine(processes: int, seconds: float = 600) -> Iterator[list[subprocess.Popen[bytes]]]:
    """At least ``processes`` processes running on the machine during the block: a loaded
    machine (the block's own processes, its browser's included, count among them).

    Busy loops make up what the machine's other work does not. When other work already keeps
    that many processes running (the suite's other workers, on a CI machine), the loops are
    paused (SIGSTOP), so the block sees the load asked for, and the suite does not pay for
    load on top of load. Each loop stops by itself after ``seconds`` and is killed by its id
    when the block ends. Yields the loops.
    """
    if processes <= 0:
        yield []
        return
    loop = f"import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass\n"
    children = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(processes)]
    done = threading.Event()
    topping = threading.Thread(target=_top_up, args=(children, processes, done), daemon=True)
    topping.start()
    try:
        time.sleep(0.2)
        yield children
    finally:
        done.set()
        topping.join()
        for child in children:
            child.send_signal(signal.SIGKILL)
            child.wait()


def _top_up(children: list[subprocess.Popen[bytes]], wanted: int, done: threading.Event) -> None:
    """Keep ``wanted`` processes running, counting the machine's own (``procs_running`` of
    /proc/stat, the median of the last few looks); without /proc, every loop runs."""
    running = len(children)
    recent: list[int] = []
    while not done.wait(0.1):
        try:
            stat = Path("/proc/stat").read_text(encoding="ascii")
        except OSError:
            return
        found = re.search(r"^procs_running (\d+)$", stat, re.MULTILINE)
        if found is None:
            return
        # Besides the loops running now, and this thread reading.
        recent = [*recent[-4:], max(0, int(found.group(1)) - running - 1)]
        others = sorted(recent)[len(recent) // 2]
        target = max(0, min(len(children), wanted - others))
        for index, child in enumerate(children):
            if (index < target) != (index < running):
                child.send_signal(signal.SIGCONT if index < target else signal.SIGSTOP)
        running = target

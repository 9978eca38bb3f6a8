"""Five client sites on loopback, audited sharded and unsharded, then after a change.

The shards run as three processes at once into three folders (three machines of a CI
matrix or an Indexed Job); the portfolio of their folders must equal the portfolio of one
unsharded run, and a tracker added to one site must show, exactly, in `audit diff`, in the
report's "since the last audit", in the portfolio trend and in one webhook POST.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from privacy_audit.history.runs import HISTORY_DIR

from ..conftest import invoke as cli
from ..conftest import patience
from .conftest import WebhookReceiver
from .portfolio_sites import RESOLVE, PortfolioSites

SITES = 5
"""Each of the three kinds of client (clean, tracker declared, undeclared); each of the three
shards gets at least one (shard 1 only the client that changes, shard 3 three clients)."""
SHARDS = 3
CHANGED = "client03"  # no tracker until it adds pixel.test (plain HTTP: TX01 only)
# pixel.test writes _fbp on load: a PC01 error (and an undeclared DC01 warning) that makes
# the client worse.
AUDIT_OPTIONS = ["--pages", "1", "--consent-wait", "0", "--settle", "0.3"]
AUDIT_OPTIONS += ["--timeout", str(round(patience(15)))]
AUDIT_OPTIONS += ["--resolve", RESOLVE, "--quiet"]

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1500)]


def _audit_all(content: Path, out: Path, *extra: str) -> list[str]:
    return ["audit", "--all", str(content), "--out", str(out), *AUDIT_OPTIONS, *extra]


def _in_parallel(runs: list[list[str]]) -> list[tuple[int, str, str]]:
    """``privacy-pages`` runs as processes at once, as machines of a CI matrix run them."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "privacy_pages.cli", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in runs
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=patience(900))
        results.append((process.returncode, out, err))
    return results


def _shards(content: Path, roots: list[Path], *extra: str) -> list[list[str]]:
    return [
        _audit_all(content, root, "--shard", f"{i}/{SHARDS}", *extra)
        for i, root in enumerate(roots, start=1)
    ]


def _per_client(portfolio: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on how the work was split: findings per client."""
    return {
        c["id"]: (c["verdict"], c["counts"], c["errors_by_family"], c["findings"])
        for c in portfolio["clients"]
    }


@pytest.fixture(scope="module")
def portfolio_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Run once for the module: unsharded and 3 shards at once (their audits wait on the
    network as much as they compute), the change, 3 shards again with a webhook."""
    base = tmp_path_factory.mktemp("portfolio")
    receiver = WebhookReceiver()
    with PortfolioSites(SITES) as sites:
        content = base / "content"
        sites.write_controllers(content)
        full = base / "full"
        roots = [base / f"shard-{i}" for i in range(1, SHARDS + 1)]
        batch = _in_parallel([_audit_all(content, full), *_shards(content, roots)])
        unsharded, first = batch[0], batch[1:]
        cli("portfolio", str(full), "--out", str(base / "p-full"), codes=(1,))
        cli("portfolio", *map(str, roots), "--out", str(base / "p-shards"), codes=(1,))
        snapshot_shards = json.loads((base / "p-shards" / "portfolio.json").read_text())
        sites.add_tracker(CHANGED, "pixel.test")
        second = _in_parallel(_shards(content, roots, "--webhook", receiver.url))
        after = cli("portfolio", *map(str, roots), "--out", str(base / "p-after"), codes=(1,))
    receiver.stop()
    yield {
        "base": base,
        "unsharded": unsharded,
        "first": first,
        "second": second,
        "roots": roots,
        "full": json.loads((base / "p-full" / "portfolio.json").read_text()),
        "shards": snapshot_shards,
        "after": json.loads((base / "p-after" / "portfolio.json").read_text()),
        "after_out": after.out,
        "posts": receiver.posts,
    }


def test_shards_cover_every_client_exactly_once(portfolio_runs: dict[str, Any]) -> None:
    code, out, err = portfolio_runs["unsharded"]
    assert code == 1, (out, err)
    seen: list[str] = []
    for (code, out, err), root in zip(portfolio_runs["first"], portfolio_runs["roots"]):
        assert code == 1, (out, err)
        ids = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != HISTORY_DIR)
        assert ids and f"of {SITES} controller(s)" in out
        seen += ids
    assert sorted(seen) == [f"client{i:02d}" for i in range(1, SITES + 1)]


def test_sharded_portfolio_equals_unsharded(portfolio_runs: dict[str, Any]) -> None:
    full, shards = portfolio_runs["full"], portfolio_runs["shards"]
    assert len(full["clients"]) == SITES
    assert _per_client(shards) == _per_client(full)
    assert shards["summary"] == full["summary"]
    verdicts = {c["id"]: c["verdict"] for c in full["clients"]}
    assert verdicts["client01"] == "fail"
    changed = next(c for c in full["clients"] if c["id"] == CHANGED)
    assert not [f for f in changed["findings"] if "_fbp" in str(f["subject"])]


def _changed_runs(portfolio_runs: dict[str, Any]) -> list[Path]:
    root = next(r for r in portfolio_runs["roots"] if (r / CHANGED).is_dir())
    return sorted(p for p in (root / CHANGED).iterdir() if p.is_dir())


def test_audit_diff_shows_exactly_the_new_tracker(portfolio_runs: dict[str, Any]) -> None:
    old, new = _changed_runs(portfolio_runs)
    result = cli("audit", "diff", str(old), str(new), "--format", "json", codes=(3,))
    diff = json.loads(result.out)
    appeared = {
        (phase, kind, name)
        for phase, kinds in diff["changes"].items()
        for kind, moved in kinds.items()
        for name in moved["appeared"]
    }
    gone = [
        name for kinds in diff["changes"].values() for m in kinds.values() for name in m["gone"]
    ]
    assert gone == [] and diff["findings"]["fixed"] == []
    phases = ("before-consent", "after-reject", "after-accept")
    assert appeared == {
        *((phase, "cookies", f"_fbp@{CHANGED}.test") for phase in phases),
        *((phase, "third_parties", "pixel.test") for phase in phases),
    }
    new_findings = {(f["rule"], f["subject"]) for f in diff["findings"]["new"]}
    assert ("DC01", f"_fbp@{CHANGED}.test") in new_findings
    assert ("PC01", f"_fbp@{CHANGED}.test") in new_findings
    # The new tracker needs consent, so the site that had no banner now needs one (BN00).
    assert all("_fbp" in s or "pixel.test" in s or rule == "BN00" for rule, s in new_findings), (
        new_findings
    )
    text = cli("audit", "diff", str(old), str(new), codes=(3,)).out
    assert f"+ cookie _fbp@{CHANGED}.test" in text and "+ third party pixel.test" in text


def test_report_says_what_changed_since_the_last_audit(portfolio_runs: dict[str, Any]) -> None:
    old, new = _changed_runs(portfolio_runs)
    soup = BeautifulSoup((new / "report.html").read_text(encoding="utf-8"), "html.parser")
    since = soup.select_one("#since-last")
    assert since is not None and "worse" in since["class"]
    assert old.name in since.get_text() or "Compared with" in since.get_text()
    appeared = [s.get_text(" ", strip=True) for s in since.select(".appeared")]
    assert appeared and all("_fbp" in a or "pixel.test" in a for a in appeared)
    assert since.select(".gone") == []
    report = json.loads((new / "report.json").read_text(encoding="utf-8"))
    assert report["since_last_audit"]["worse"] is True
    first = BeautifulSoup((old / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert "first audit" in first.select_one("#since-last").get_text()


def test_only_the_changed_client_got_worse(portfolio_runs: dict[str, Any]) -> None:
    for (code, out, err), root in zip(portfolio_runs["second"], portfolio_runs["roots"]):
        assert code == (3 if (root / CHANGED).is_dir() else 1), (out, err)
    after = {c["id"]: c for c in portfolio_runs["after"]["clients"]}
    assert [cid for cid, c in after.items() if c["worse"]] == [CHANGED]
    assert portfolio_runs["after"]["summary"]["worse"] == 1
    for cid, client in after.items():
        errors = [point["errors"] for point in client["trend"]]
        assert len(errors) == 2
        if cid == CHANGED:
            assert errors[0] < errors[1] and client["verdict"] == "fail"
        else:
            assert errors[0] == errors[1], cid
            assert client["since_last_audit"]["new"] == client["since_last_audit"]["fixed"] == 0


def test_one_webhook_post_for_the_client_that_got_worse(portfolio_runs: dict[str, Any]) -> None:
    posts = portfolio_runs["posts"]
    assert len(posts) == 1, posts
    body = posts[0]["json"]
    assert posts[0]["path"] == "/hooks/audit" and posts[0]["type"].startswith("application/json")
    assert body["event"] == "audit.worse" and body["controller"] == CHANGED
    assert {f["rule"] for f in body["new_errors"]} >= {"PC01", "BN00"}
    assert all(
        "_fbp" in f["subject"] or "pixel.test" in f["subject"] or f["rule"] == "BN00"
        for f in body["new_errors"]
    )
    assert CHANGED in body["text"]


def test_portfolio_page_links_reports_and_draws_trends(portfolio_runs: dict[str, Any]) -> None:
    out = portfolio_runs["base"] / "p-after"
    html = (out / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select("#clients tbody tr")
    assert len(rows) == SITES
    for row in rows:
        link = row.select_one("a")["href"]
        assert (out / link).is_file()
    changed = soup.select_one(f"#client-{CHANGED}")
    assert changed.select_one("svg.trend polyline") is not None
    assert "+" in changed.select_one(".worse").get_text()
    # Self-contained: no external URL in src/href, only the page's own files.
    assert not soup.select("[src^=http], link[href], script[src]")
    assert f"portfolio: {SITES} client(s)" in portfolio_runs["after_out"]

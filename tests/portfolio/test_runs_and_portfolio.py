"""Dated runs, retention, shards, diffs and the portfolio, on recorded runs (no browser)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from privacy_audit.history.diff import compare, format_text, load_report, portless, snapshot
from privacy_audit.history.runs import ControllerRuns, controllers_under, run_name, write_run_record
from privacy_audit.portfolio.overview import build_portfolio
from privacy_audit.portfolio.shard import ShardError, parse_shard, select, shard_of
from privacy_audit.portfolio.webhook import check_webhook_url, worse_payload

from ..conftest import REPO, spawn
from ..conftest import invoke as cli
from ..page_browser import launch_chromium
from .reports import complete_report

MOMENT = datetime(2026, 11, 29, 10, 55, 12, tzinfo=timezone.utc)


# --- shards ---------------------------------------------------------------------------------


def test_shard_is_stable_and_independent_of_the_other_clients() -> None:
    ids = [f"c{i}" for i in range(200)]
    assert [shard_of(c, 5) for c in ids] == [shard_of(c, 5) for c in reversed(ids)][::-1]
    before = {c: shard_of(c, 5) for c in ids}
    with_newcomer = {c: shard_of(c, 5) for c in [*ids, "newcomer"]}
    assert {c: with_newcomer[c] for c in ids} == before  # nobody moves when a client joins
    union = [c for i in range(1, 6) for c in select(ids, parse_shard(f"{i}/5"))]
    assert sorted(union) == sorted(ids)
    sizes = [len(select(ids, parse_shard(f"{i}/5"))) for i in range(1, 6)]
    assert min(sizes) > 20  # spread, not all in one shard


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0/3", "--shard: '0/3': I must be 1 to 3 (shards count from 1)"),
        ("4/3", "--shard: '4/3': I must be 1 to 3 (shards count from 1)"),
        ("1-3", "--shard: '1-3' is not I/N; write it like 2/3 (shard 2 of 3)"),
        ("1/0", "--shard: '1/0': N must be 1 to 10000"),
    ],
)
def test_bad_shard_is_one_line(text: str, message: str) -> None:
    with pytest.raises(ShardError) as error:
        parse_shard(text)
    assert str(error.value) == message


# --- dated runs -----------------------------------------------------------------------------


def _record(errors: int, findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "controller": "shop",
        "url": "https://shop.example/",
        "verdict": "fail" if errors else "pass",
        "exit_code": 1 if errors else 0,
        "counts": {"error": errors, "warning": 1, "info": 0},
        "errors_by_family": {"PC": errors} if errors else {},
        "findings": findings or [],
        "finished_at": "2026-11-29T10:55:30Z",
    }


def _fake_run(root: Path, cid: str, name: str, errors: int) -> Path:
    run = root / cid / name
    write_run_record(run, {**_record(errors), "controller": cid})
    (run / "report.html").write_text(f"<title>{cid} {name}</title>", encoding="utf-8")
    ControllerRuns(root, cid).set_latest(run)
    return run


def test_runs_are_dated_never_overwritten_and_latest_moves(tmp_path: Path) -> None:
    runs = ControllerRuns(tmp_path, "shop")
    first = runs.new_run_dir(MOMENT)
    assert first.name == run_name(MOMENT) == "20261129T105512Z"
    write_run_record(first, _record(0))
    second = runs.new_run_dir(MOMENT)  # same second: a new name, never the same folder
    assert second.name == "20261129T105512Z-2"
    write_run_record(second, _record(2))
    runs.set_latest(second)
    assert runs.latest() == second and runs.runs() == [first, second]
    assert (tmp_path / "shop" / "LATEST").read_text() == "20261129T105512Z-2\n"


def test_keep_removes_only_old_runs_it_made(tmp_path: Path) -> None:
    names = [f"2026{m:02d}01T000000Z" for m in range(1, 6)]
    for name in names:
        _fake_run(tmp_path, "shop", name, 0)
    stranger = tmp_path / "shop" / "20250101T000000Z"  # looks like a run, has no run.json
    stranger.mkdir()
    notes = tmp_path / "shop" / "notes.txt"
    notes.write_text("the agency's own file")
    gone = ControllerRuns(tmp_path, "shop").prune(2)
    assert [p.name for p in gone] == names[:3]
    assert [p.name for p in ControllerRuns(tmp_path, "shop").runs()] == names[3:]
    assert stranger.is_dir() and notes.is_file()


def test_shard_folders_merge_into_one_portfolio(tmp_path: Path) -> None:
    _fake_run(tmp_path / "a", "alpha", "20261001T000000Z", 0)
    _fake_run(tmp_path / "a", "alpha", "20261101T000000Z", 3)
    _fake_run(tmp_path / "b", "beta", "20261101T000000Z", 0)
    found = controllers_under([tmp_path / "a", tmp_path / "b"])
    assert list(found) == ["alpha", "beta"]
    portfolio = build_portfolio([tmp_path / "a", tmp_path / "b"])
    alpha, beta = portfolio["clients"]
    assert [p["errors"] for p in alpha["trend"]] == [0, 3]
    assert alpha["verdict"] == "fail" and beta["verdict"] == "pass"
    assert portfolio["summary"] == {
        "clients": 2, "failing": 1, "could_not_run": 0, "passing": 1, "worse": 0, "errors": 3
    }  # fmt: skip


def test_a_run_that_saw_nothing_is_a_gap_in_the_trend_not_a_zero(tmp_path: Path) -> None:
    roots = tmp_path / "audits"
    _fake_run(roots, "alpha", "20260901T000000Z", 2)
    down = _fake_run(roots, "alpha", "20261001T000000Z", 0)
    write_run_record(down, {**_record(0), "controller": "alpha", "verdict": "incomplete"})
    _fake_run(roots, "alpha", "20261101T000000Z", 3)
    (alpha,) = build_portfolio([roots])["clients"]
    assert [p["errors"] for p in alpha["trend"]] == [2, None, 3]
    out = tmp_path / "site"
    cli("portfolio", str(roots), "--out", str(out), codes=(1,))
    svg = BeautifulSoup((out / "index.html").read_text(), "html.parser").select_one("svg.trend")
    assert svg is not None
    assert len(svg.select("circle")) == 2 and len(svg.select("line.gap")) == 1
    assert not svg.select("polyline")  # no line drawn through the gap, nor down to 0
    assert "errors per run: 2, not observed, 3" in svg.get("aria-label", "")


# --- the portfolio command ------------------------------------------------------------------


def test_portfolio_command_writes_a_self_contained_page(tmp_path: Path) -> None:
    roots = tmp_path / "audits"
    _fake_run(roots, "alpha", "20261001T000000Z", 1)
    _fake_run(roots, "alpha", "20261101T000000Z", 4)
    _fake_run(roots, "zeta<script>", "20261101T000000Z", 0)  # hostile id, escaped
    out = tmp_path / "site"
    result = cli("portfolio", str(roots), "--out", str(out), codes=(1,))
    assert "2 client(s): 1 failing, 0 could not run, 1 passing" in result.out
    document = json.loads((out / "portfolio.json").read_text())
    assert [c["id"] for c in document["clients"]] == ["alpha", "zeta<script>"]
    assert not any(k.startswith("_") for c in document["clients"] for k in c)
    html = (out / "index.html").read_text()
    assert '<td data-label="Client" data-value="zeta&lt;script&gt;">' in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('meta[name="viewport"]') is not None
    assert "@media (max-width: 640px)" in html  # one card per client on a phone
    assert [th.get_text(strip=True) for th in soup.select("th[data-sort]")][:3] == [
        "Client", "Verdict", "Errors"
    ]  # fmt: skip
    assert soup.select_one("#client-alpha svg.trend polyline")["points"]
    assert not soup.select("[src^=http], [href^=http], link, script[src]")
    assert (out / "reports" / "alpha.html").read_text().startswith("<title>alpha 20261101")
    # A second build replaces the portfolio; a folder that is not one is refused.
    cli("portfolio", str(roots), "--out", str(out), codes=(1,))
    other = tmp_path / "mine"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    refused = cli("portfolio", str(roots), "--out", str(other), codes=(2,))
    assert refused.err.startswith("privacy-pages portfolio: error: --out:")
    assert (other / "keep.txt").read_text() == "x"


def test_portfolio_of_passing_clients_exits_0_and_nothing_is_2(tmp_path: Path) -> None:
    _fake_run(tmp_path / "audits", "alpha", "20261101T000000Z", 0)
    cli("portfolio", str(tmp_path / "audits"), "--out", str(tmp_path / "p"), codes=(0,))
    (tmp_path / "empty").mkdir()
    empty = cli("portfolio", str(tmp_path / "empty"), "--out", str(tmp_path / "q"), codes=(2,))
    assert "no audit run found" in empty.err
    assert cli("portfolio", "/nonexistent", "--out", str(tmp_path / "r")).code == 2


# --- diff -----------------------------------------------------------------------------------


def _report(cookies: list[str], findings: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "generated_at": "2026-11-29T10:00:00Z",
        "observations": {
            "phases": [
                {
                    "phase": "before-consent",
                    "cookies": [{"name": n, "domain": "shop.test"} for n in cookies],
                    "storage": [],
                    "requests": [{"host": "cdn.test", "party": "third"}],
                }
            ]
        },
        "findings": [
            {"rule": r, "severity": s, "phase": "before-consent",
             "cookie": {"name": n, "domain": "shop.test"}, "message": f"{n} {r}"}
            for r, s, n in findings
        ],
    }  # fmt: skip


def test_diff_lists_what_appeared_went_away_and_findings() -> None:
    old = _report(["sid", "_old"], [("PC01", "error", "_old"), ("RT01", "warning", "sid")])
    new = _report(["sid", "_new"], [("PC01", "error", "_new"), ("RT01", "warning", "sid")])
    diff = compare(snapshot(old), snapshot(new), "a", "b")
    assert diff.changes == {
        "before-consent": {"cookies": {"appeared": ["_new@shop.test"], "gone": ["_old@shop.test"]}}
    }
    assert [f.subject for f in diff.new] == ["_new@shop.test"]
    assert [f.subject for f in diff.fixed] == ["_old@shop.test"]
    assert [f.subject for f in diff.still_open] == ["sid@shop.test"]
    assert diff.worse
    text = format_text(diff)
    assert "  + cookie _new@shop.test" in text and "  - cookie _old@shop.test" in text
    assert compare(snapshot(old), snapshot(old)).unchanged


def test_a_site_served_on_a_new_port_each_run_is_unchanged() -> None:
    """``--serve`` and test servers pick a free port each run: storage origins and URLs of
    the same site must not read as new findings (the example's second run exited 3)."""

    def report(port: int) -> dict[str, Any]:
        origin = f"http://localhost:{port}"
        storage = {"kind": "local_storage", "key": "ad_segments", "origin": origin}
        return {
            "observations": {"phases": [{"phase": "after-accept", "storage": [storage]}]},
            "findings": [
                {"rule": "DC01", "severity": "error", "phase": "after-accept",
                 "storage": storage, "message": f"ad_segments of {origin}"},
                {"rule": "TX02", "severity": "error", "phase": "before-consent",
                 "url": f"http://127.0.0.1:{port}/contact.html", "message": "form"},
            ],
        }  # fmt: skip

    diff = compare(snapshot(report(45887)), snapshot(report(39681)))
    assert diff.unchanged and not diff.worse
    assert portless("http://[::1]:8080/a?b") == "http://[::1]/a?b"
    assert portless("https://shop.example/") == "https://shop.example/"


def test_diff_command_reads_folders_and_files(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, report in (
        (old, _report(["a"], [])),
        (new, _report(["a"], [("DC01", "error", "a")])),
    ):
        folder.mkdir()
        (folder / "report.json").write_text(json.dumps(complete_report(report)))
    result = cli("audit", "diff", str(old), str(new / "report.json"), codes=(3,))
    assert "new finding: DC01 error [before-consent] a@shop.test" in result.out
    same = cli("audit", "diff", str(old), str(old), "--format", "json", codes=(0,))
    assert json.loads(same.out)["unchanged"] is True
    (tmp_path / "broken.json").write_text("{")
    broken = cli("audit", "diff", str(old), str(tmp_path / "broken.json"), codes=(2,))
    assert broken.err.startswith(
        f"privacy-pages audit diff: error: {tmp_path / 'broken.json'}: not JSON"
    )
    assert load_report(old)[1] == "old"


# --- webhook --------------------------------------------------------------------------------


def test_webhook_payload_and_url_check() -> None:
    diff = compare(
        snapshot(_report([], [])), snapshot(_report(["x"], [("PC01", "error", "x")])), "r1", "r2"
    ).to_dict()
    payload = worse_payload("shop", "https://shop.example/", "r2", "r1", diff)
    assert payload["event"] == "audit.worse" and payload["controller"] == "shop"
    assert payload["new_errors"][0]["rule"] == "PC01"
    assert payload["text"].startswith("privacy-pages: shop (https://shop.example/) got worse")
    with pytest.raises(ValueError, match="--webhook: 'ftp://x' is not an http"):
        check_webhook_url("ftp://x")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--all", "content", "--shard", "5/4"], "--shard: '5/4': I must be 1 to 4"),
        (["--all", "content", "--keep", "0"], "--keep: 0 is out of range; keep at least 1 run"),
        (["--all", "content", "--webhook", "nope"], "--webhook: 'nope' is not an http(s) URL"),
        (["content/ozio-france.yaml", "--shard", "1/2"], "--shard, --keep and --run-id go with"),
        (["--all", "content", "--run-id", "a b"], "--run-id: 'a b': use letters, digits"),
        (["content/ozio-france.yaml", "--timezone", "Paris"], "--timezone: 'Paris' is not a"),
        (["content/ozio-france.yaml", "--lang", "de"], "argument --lang: invalid choice: 'de'"),
        (
            ["content/ozio-france.yaml", "--agency-logo", "logo.gif"],
            "--agency-logo: logo.gif: not a PNG",
        ),
    ],
)
def test_bad_portfolio_options_are_one_line(argv: list[str], message: str) -> None:
    result = cli("audit", *argv, cwd=REPO)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.err


def test_a_controller_that_cannot_be_audited_is_its_own_failed_run(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "broken.yaml").write_text(
        "id: broken\nlanguages: [en]\nwebsite: https://broken.test/\nprocessing: 3\n"
    )
    out = tmp_path / "audits"
    result = spawn("audit", "--all", str(content), "--out", str(out), "--quiet", codes=(4,))
    assert "broken.yaml" in result.err and "Traceback" not in result.err
    latest = ControllerRuns(out, "broken").latest()
    assert latest is not None
    record = json.loads((latest / "run.json").read_text())
    assert record["verdict"] == "could-not-run" and record["url"] == "https://broken.test/"
    portfolio = cli("portfolio", str(out), "--out", str(tmp_path / "p"), codes=(4,))
    assert "1 could not run" in portfolio.out


# --- the portfolio an agency hands over (issue 19, section 4) --------------------------------


def test_portfolio_in_french_with_the_agency_company_names_and_dates_in_words(
    tmp_path: Path,
) -> None:
    audits = tmp_path / "audits"
    run = _fake_run(audits, "ozio", "20261129T105512Z", 2)
    write_run_record(run, {**_record(2), "controller": "ozio", "name": "Ozio France SAS"})
    _fake_run(audits, "other", "20261129T105512Z", 0)
    out = tmp_path / "p"
    result = cli("portfolio", str(audits), "--out", str(out), "--lang", "fr", "--agency-name",
                 "Agence <Exemple>", "--timezone", "Europe/Paris", codes=(1,))  # fmt: skip
    assert result.err == ""
    html = (out / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "fr"
    assert "Agence &lt;Exemple&gt;" in html  # escaped
    first = soup.select_one("#client-ozio")
    assert first.select_one("a").get_text() == "Ozio France SAS"
    assert "(ozio)" in first.get_text()
    assert "29 novembre 2026 à 11 h 55" in first.get_text()  # 10:55 UTC, in Paris
    text = soup.get_text(" ", strip=True)
    assert "1 non conforme" in text and "1 conforme" in text and "2 erreurs en tout" in text
    assert "non conforme" in first.select_one(".verdict").get_text()
    for english in ("failing", "passing", "Click a column", "error finding", "generated"):
        assert english not in text, english
    assert soup.select_one(".sort-hint").get_text().startswith("Cliquez")


@pytest.mark.browser
def test_the_sort_hint_is_not_shown_on_phone_cards(tmp_path: Path) -> None:
    """On a phone the table becomes cards without headings: no "click a heading" there."""
    from playwright.sync_api import sync_playwright

    audits = tmp_path / "audits"
    _fake_run(audits, "shop", "20261129T105512Z", 1)
    cli("portfolio", str(audits), "--out", str(tmp_path / "p"), codes=(1,))
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            shown = {}
            for width in (360, 1280):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.goto((tmp_path / "p" / "index.html").as_uri())
                shown[width] = page.locator(".sort-hint").is_visible()
                assert page.evaluate("() => document.documentElement.scrollWidth") <= width
                page.close()
        finally:
            browser.close()
    assert shown == {360: False, 1280: True}

"""`privacy-pages audit` end to end: findings per phase, bad input, Ctrl-C, --all, the demo.

The audits whose subject is what the site does run on the worker's shared driver and
Chromium (`lent_browser`); the demo, Ctrl-C, a kill and an unreachable site start their own,
as a lone command does."""

from __future__ import annotations

import json
import signal
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.portfolio.overview import merged_history
from privacy_pages.cli import main

from .interrupt import assert_interrupted_cleanly, interrupt_while_loading
from .site_server import SITES, SiteServer

REPO = Path(__file__).resolve().parents[2]


def audit(server: SiteServer, *extra: str, controller: str | Path | None = None) -> list[str]:
    argv = [
        "audit",
        str(controller) if controller else "",
        "--url",
        server.url(),
        "--ignore-https-errors",
        "--quiet",
        "--timeout",
        "10",
        *extra,
    ]
    for rule in server.resolve:
        argv += ["--resolve", rule]
    return [a for a in argv if a]


def findings(out: Path) -> list[tuple[str, str, str | None, str]]:
    """(rule, severity, phase, what): a cookie's name, a storage key, a host, or the URL."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return [(f["rule"], f["severity"], f["phase"], _subject(f)) for f in report["findings"]]


def _subject(finding: dict[str, Any]) -> str:
    if finding.get("cookie"):
        return str(finding["cookie"]["name"])
    if finding.get("storage"):
        return str(finding["storage"]["key"])
    return str(finding.get("host") or finding["url"])


@pytest.mark.browser
def test_tarteaucitron_shop_findings_phase_by_phase(
    serve_site: Any, tmp_path: Path, capsys: Any, lent_browser: Any
) -> None:
    server = serve_site("tarteaucitron")
    out = tmp_path / "report"
    code = main(
        audit(server, "--out", str(out), controller=SITES / "tarteaucitron/controller.yaml")
    )
    assert code == 1, capsys.readouterr()
    # Refusal is respected and nothing needing consent runs before it: what is left is the
    # declaration's gaps, all seen once the visitor accepts.
    assert findings(out) == [
        ("DC02", "info", None, "lang"),
        ("RT01", "warning", "before-consent", "tarteaucitron"),
        ("TX01", "error", "before-consent", f"http://shop.test:{server.http_port}/"),
        ("DC01", "warning", "after-accept", "_ads_fp"),
        ("DC01", "warning", "after-accept", "ad_id"),
        ("DC01", "warning", "after-accept", "ads_frame_id"),
        ("DC01", "warning", "after-accept", "ads_session"),
        ("DC03", "warning", "after-accept", "ads.test"),
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        ".privacy-pages-report",  # the next audit may replace this folder: it is ours
        "observations.json",
        "report.html",
        "report.json",
        "report.junit.xml",
        "screenshots",
    ]
    assert sorted(p.name for p in (out / "screenshots").iterdir()) == ["before-consent.png"]
    suite = ET.parse(out / "report.junit.xml").getroot()
    assert suite.tag in ("testsuites", "testsuite")
    printed = capsys.readouterr().out
    assert "8 finding(s)" in printed and str(out / "report.html") in printed


@pytest.mark.browser
def test_bad_shop_findings_phase_by_phase(
    serve_site: Any, tmp_path: Path, lent_browser: Any
) -> None:
    server = serve_site("bad")
    out = tmp_path / "report"
    assert main(audit(server, "--out", str(out), controller=SITES / "bad/controller.yaml")) == 1
    home = f"http://shop.test:{server.http_port}/"
    assert findings(out) == [
        ("LK01", "warning", "before-consent", home),
        ("LK01", "warning", "before-consent", home + "offres.html"),
        ("PC01", "error", "before-consent", "_ads_fp"),
        ("PC01", "error", "before-consent", "_pa_id"),
        ("PC01", "error", "before-consent", "ad_id"),
        ("PC01", "error", "before-consent", "trk_uid"),
        ("PC02", "error", "before-consent", "_pa_last_visit"),
        ("PC02", "error", "before-consent", "ads_frame_id"),
        ("PC02", "error", "before-consent", "ads_session"),
        ("PC03", "error", "before-consent", "ads.test"),
        ("PC03", "error", "before-consent", "tracker.test"),
        ("RT03", "warning", "before-consent", "ad_id"),
        ("TX01", "error", "before-consent", home),
        ("BN07", "warning", "after-reject", home),
        ("RJ01", "error", "after-reject", "_ads_fp"),
        ("RJ01", "error", "after-reject", "_pa_id"),
        ("RJ01", "error", "after-reject", "_pa_last_visit"),
        ("RJ01", "error", "after-reject", "ad_id"),
        ("RJ01", "error", "after-reject", "ads_frame_id"),
        ("RJ01", "error", "after-reject", "ads_session"),
        ("RJ01", "error", "after-reject", "trk_uid"),
        ("RJ02", "error", "after-reject", "ads.test"),
        ("RJ02", "error", "after-reject", "tracker.test"),
    ]


@pytest.mark.browser
def test_readme_demo_serves_the_bundled_site_and_finds_its_mistakes(
    tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "demo"
    code = main(
        [
            "audit",
            str(REPO / "examples/demo-site/controller.yaml"),
            "--serve",
            str(REPO / "examples/demo-site/public"),
            "--out",
            str(out),
            "--quiet",
            "--severity",
            "DC02=warning",
        ]
    )
    assert code == 1, capsys.readouterr()
    found = findings(out)
    assert ("PC01", "error", "before-consent", "_ga") in found
    assert ("RJ01", "error", "after-reject", "_ga") in found
    assert ("DC01", "warning", "after-accept", "ad_uid") in found
    assert ("DC02", "warning", None, "lang") in found  # raised from info by --severity
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # screenshots embedded: the report stands alone


@pytest.mark.browser
def test_unreachable_site_exits_4_with_one_line(
    serve_site: Any, tmp_path: Path, capsys: Any
) -> None:
    server = serve_site("faults")
    url = f"http://shop.test:{server.closed_port}/"
    argv = [
        "audit",
        str(SITES / "bad/controller.yaml"),
        "--url",
        url,
        "--out",
        str(tmp_path / "r"),
        "--quiet",
        "--resolve",
        "shop.test=127.0.0.1",
        "--timeout",
        "5",
    ]
    assert main(argv) == 4  # the client could not be audited; 2 is the tool failing
    # No "pass" anywhere: the run did not observe the site (issue 10).
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert (report["summary"]["verdict"], report["summary"]["exit_code"]) == ("incomplete", 4)
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "Incomplete" in html and "Passes" not in html
    junit = ET.parse(tmp_path / "r" / "report.junit.xml").getroot()
    assert junit.get("errors") == "1"
    assert not [f for f in report["findings"] if f["rule"] == "DC02"]
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        (
            f"privacy-pages audit: error: {url}: incomplete, no page of the site could be loaded "
            f"(Page.goto: net::ERR_CONNECTION_REFUSED at {url})"
        )
    ]


@pytest.mark.browser
def test_all_controllers_keep_a_history(
    serve_site: Any, tmp_path: Path, capsys: Any, lent_browser: Any
) -> None:
    server = serve_site("plain")
    content = tmp_path / "content"
    content.mkdir()
    (content / "plain.yaml").write_text(
        f"id: plain-shop\nlanguages: [en]\nwebsite: {server.url()}\n", encoding="utf-8"
    )
    (content / "offline.yaml").write_text("id: no-site\nlanguages: [en]\n", encoding="utf-8")
    out = tmp_path / "audits"
    argv = [
        "audit",
        "--all",
        str(content),
        "--out",
        str(out),
        "--quiet",
        "--pages",
        "1",
        "--ignore-https-errors",
        "--format",
        "json",
    ]
    for rule in server.resolve:
        argv += ["--resolve", rule]
    first = main(argv)
    second = main(argv)
    assert first == second == 1  # the undeclared tracker cookie is an error finding
    # One history file per run (pods sharing a volume never write the same file), merged in
    # run order by the portfolio.
    files = sorted((out / "_history").glob("*.json"))
    assert len(files) == 2 and all(f.read_text().count("\n") == 1 for f in files)
    lines = merged_history([out])
    assert [(h["controller"], h["exit_code"], h["page_visits"]) for h in lines] == [
        ("plain-shop", 1, 5),
        ("plain-shop", 1, 5),
    ]
    assert lines[0]["findings"]["error"] >= 1
    # Each run has its own dated folder; LATEST names the newest (tests/portfolio has more).
    runs = [Path(h["report"]) for h in lines]
    assert runs[0] != runs[1] and all(r.parent == out / "plain-shop" for r in runs)
    assert (out / "plain-shop" / "LATEST").read_text().strip() == runs[1].name
    assert (runs[0] / "report.json").is_file() and (runs[1] / "report.json").is_file()


# --- bad input: one line each, exit 2, before any browser starts ---------------------------


def _run(argv: list[str], capsys: Any) -> tuple[int, list[str]]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--resolve", "shop.test"],
            "--resolve: 'shop.test' is not HOST=IP; write it like shop.example=127.0.0.1",
        ),
        (
            ["--resolve", "shop.test=nowhere"],
            "--resolve: 'nowhere' in 'shop.test=nowhere' is not an IP address",
        ),
        (["--pages", "0"], "--pages: 0 is out of range; allowed 1 to 10000"),
        (["--concurrency", "99"], "--concurrency: 99 is out of range; allowed 1 to 16"),
        (
            ["--url", "ftp://shop.test/"],
            "--url: 'ftp://shop.test/' is not an http(s) URL; give one like https://www.example.com/",
        ),
        (["--format", "pdf"], "--format: unknown report format pdf; use: html, json, junit"),
        (["--serve", "/nonexistent-folder"], "--serve: /nonexistent-folder: no such folder"),
        (
            ["--knowledge-base", "/nonexistent.csv"],
            (
                "--knowledge-base: /nonexistent.csv: cannot read the cookie database "
                "(No such file or directory)"
            ),
        ),
        (
            ["--severity", "DC02"],
            "--severity: 'DC02': write RULE=LEVEL, e.g. DC02=warning",
        ),
        (
            ["--severity", "DC02=fatal"],
            "--severity: 'DC02=fatal': unknown severity 'fatal'; use one of: info, warning, error",
        ),
        (
            ["--as-of", "2026-02-30"],
            "--as-of: '2026-02-30' is not a date; write YYYY-MM-DD, e.g. 2026-08-11",
        ),
    ],
)
def test_bad_options_are_one_line(extra: list[str], message: str, capsys: Any) -> None:
    code, err = _run(["audit", str(SITES / "bad/controller.yaml"), *extra], capsys)
    assert (code, err) == (2, [f"privacy-pages audit: error: {message}"])


def test_malformed_website_is_one_line(tmp_path: Path, capsys: Any) -> None:
    """Issue 9: `website: "http://[::1"` once crashed the audit."""
    controller = tmp_path / "c.yaml"
    controller.write_text('id: broken\nlanguages: [en]\nwebsite: "http://[::1"\n', "utf-8")
    code, err = _run(["audit", str(controller), "--out", str(tmp_path / "r")], capsys)
    assert code == 2
    # `check`'s schema rejects it first, at the line to edit.
    assert err == [
        (
            f"privacy-pages audit: error: {controller}:3:10: SCHEMA001 'http://[::1' is not a web "
            "address"
        )
    ]


def test_severity_by_name_is_checked_before_the_crawl(tmp_path: Path, capsys: Any) -> None:
    """Issue 8: a rule named by its name was accepted, then crashed after the crawl."""
    argv = ["audit", str(SITES / "bad/controller.yaml"), "--out", str(tmp_path / "r")]
    code, err = _run([*argv, "--severity", "declared-not-observed=fatal"], capsys)
    assert (code, err) == (
        2,
        [
            (
                "privacy-pages audit: error: --severity: 'declared-not-observed=fatal': unknown "
                "severity 'fatal'; use one of: info, warning, error"
            )
        ],
    )


def test_controller_without_website_needs_url(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("id: c\nlanguages: [en]\n", encoding="utf-8")
    code, err = _run(["audit", str(path)], capsys)
    assert code == 2
    assert err == [
        (
            f"privacy-pages audit: error: {path}: the controller has no `website` to audit; "
            "add `website: https://...` to the file or pass --url"
        )
    ]


def test_bad_controller_prints_its_diagnostics(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("id: Not A Slug\nlanguages: [en]\nwebsite: ftp://x\n", encoding="utf-8")
    code, err = _run(["audit", str(path)], capsys)
    assert code == 2
    assert len(err) == 2 and all(
        line.startswith(f"privacy-pages audit: error: {path}:") for line in err
    )
    assert any(":1:" in line for line in err) and any(":3:" in line for line in err)


def test_missing_controller_and_no_all(capsys: Any) -> None:
    assert _run(["audit"], capsys) == (
        2,
        ["privacy-pages audit: error: give a CONTROLLER.yaml file, or --all CONTENT_DIR"],
    )
    code, err = _run(["audit", "/nonexistent.yaml"], capsys)
    assert (
        code == 2
        and len(err) == 1
        and err[0].startswith("privacy-pages audit: error: /nonexistent.yaml")
    )


def test_bad_option_type_is_argparse_one_line(capsys: Any) -> None:
    code, err = _run(["audit", "x.yaml", "--pages", "many"], capsys)
    assert code == 2 and len(err) == 1 and "--pages: invalid int value: 'many'" in err[0]


def test_no_browser_is_one_line_saying_what_to_install(tmp_path: Path, capsys: Any) -> None:
    code, err = _run(
        [
            "audit",
            str(SITES / "bad/controller.yaml"),
            "--browser",
            "/nonexistent/chromium",
            "--out",
            str(tmp_path / "r"),
            "--quiet",
        ],
        capsys,
    )
    assert code == 2
    assert err == [
        (
            "privacy-pages audit: error: --browser: '/nonexistent/chromium' is not an executable "
            "browser; no Chromium found: install one (`apt-get install chromium`, or "
            "`playwright install chromium`), or pass --browser PATH or set PRIVACY_PAGES_CHROMIUM"
        )
    ]
    assert not (tmp_path / "r").exists()  # a failed audit leaves no half-written report


# --- Ctrl-C ------------------------------------------------------------------------------


@pytest.mark.browser
def test_ctrl_c_leaves_no_browser_behind(serve_site: Any, tmp_path: Path) -> None:
    server = serve_site("faults")
    argv = audit(server, "--out", str(tmp_path / "r"), controller=SITES / "bad/controller.yaml")
    argv.remove("--quiet")
    assert_interrupted_cleanly(interrupt_while_loading(argv))
    assert not (tmp_path / "r").exists()


def test_an_audit_killed_outright_takes_its_browser_with_it(
    serve_site: Any, tmp_path: Path
) -> None:
    """``kill -9`` (a scheduler's hard timeout, the OOM killer) leaves the audit no time to
    close its browser: the kernel kills Chromium with it, instead of leaving it running."""
    server = serve_site("faults")
    argv = audit(server, "--out", str(tmp_path / "r"), controller=SITES / "bad/controller.yaml")
    argv.remove("--quiet")
    killed = interrupt_while_loading(argv, signal.SIGKILL)  # no browser process outlives it
    assert killed.returncode == -signal.SIGKILL


def test_out_never_replaces_a_folder_that_is_not_a_report(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    code, err = _run(["audit", str(SITES / "bad/controller.yaml"), "--out", str(tmp_path)], capsys)
    assert code == 2
    assert err == [
        (
            f"privacy-pages audit: error: --out: {tmp_path}: this folder holds files that "
            "privacy-pages audit did not write (no .privacy-pages-report in it); the report folder "
            "is replaced whole, so give a new or empty folder, or empty this one yourself"
        )
    ]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.browser
def test_the_user_agent_tag_is_on_every_request_of_the_audit(
    serve_site: Any, tmp_path: Path, capsys: Any, lent_browser: Any
) -> None:
    """--user-agent-tag: a client's firewall can tell the audit apart and let it through;
    the browser's own User-Agent stays in front (the site still sees a Chromium)."""
    server = serve_site("plain")
    controller = tmp_path / "plain.yaml"
    controller.write_text("id: plain-shop\nlanguages: [en]\n", encoding="utf-8")
    tag = "AgencyAudit/1.0 (+https://agency.example/audit)"
    out = tmp_path / "r"
    mark = server.mark()
    code = main(audit(server, "--out", str(out), "--pages", "2", "--user-agent-tag", tag,
                      controller=controller))  # fmt: skip
    assert code in (0, 1), capsys.readouterr().err
    requests = server.requests_since(mark)
    shop = [r.headers.get("user-agent", "") for r in requests if r.host == "shop.test"]
    assert shop and all(a.endswith(" " + tag) and " Chrome/" in a for a in shop), shop
    assert not any("Headless" in a for a in shop), shop  # a visitor's browser, not a robot
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["browser"]["user_agent"].endswith(tag)
    capsys.readouterr()
    bad = main(audit(server, "--user-agent-tag", "bad\ntag", controller=controller))
    assert bad == 2 and "--user-agent-tag" in capsys.readouterr().err

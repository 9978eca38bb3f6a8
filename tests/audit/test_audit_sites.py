"""A controller with several websites: one audit per site, each in its own folder, one verdict.

The sites are the loopback test shops (`site_server.SiteServer`), each under ``shop.test``
on its own port; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from privacy_audit.history.sites import (
    combined_exit_code,
    combined_verdict,
    drop_seen_elsewhere,
    site_folders,
    site_report,
)
from privacy_pages.cli import main
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.model import Controller

from ..conftest import patience
from .site_server import SITES, SiteServer

REPORT_FILES = ["observations.json", "report.html", "report.json", "report.junit.xml"]


# --- without a browser ----------------------------------------------------------------------


def test_audited_websites_are_website_and_websites_without_apps() -> None:
    model = Controller(
        {
            "website": "https://shop.example/",
            "websites": [
                {"url": "https://shop.example/"},
                {"url": "https://blog.example/", "kind": "website"},
                {"url": "https://apps.example/store/shop", "kind": "app"},
            ],
        }
    )
    assert model.audited_websites == ["https://shop.example/", "https://blog.example/"]
    assert Controller({"websites": [{"url": "https://a.example/"}]}).audited_websites == [
        "https://a.example/"
    ]


def test_site_folders_name_host_port_and_path_and_never_collide() -> None:
    folders = site_folders(
        [
            "https://shop.example/",
            "http://shop.example:8080/",
            "https://Example.com/Blog/",
            "https://example.com/blog",
            "https://x.example/%2e%2e/../",
        ]
    )
    assert list(folders.values()) == [
        "shop.example",
        "shop.example-8080",
        "example.com-blog",
        "example.com-blog-2",
        "x.example-2e-2e",
    ]


@pytest.mark.parametrize(
    ("verdicts", "codes", "verdict", "code"),
    [
        (["pass", "pass"], [0, 0], "pass", 0),
        (["pass", "fail"], [0, 1], "fail", 1),
        (["fail", "incomplete"], [1, 4], "incomplete", 4),
        (["incomplete", "could-not-run"], [4, 2], "incomplete", 2),
        (["pass", "could-not-run"], [0, 2], "incomplete", 2),
        (["could-not-run", "could-not-run"], [2, 2], "could-not-run", 2),
    ],
)
def test_the_worst_site_wins(
    verdicts: list[str], codes: list[int], verdict: str, code: int
) -> None:
    assert combined_verdict(verdicts) == verdict
    assert combined_exit_code(codes) == code


def _dc02(pointer: str) -> Any:
    from privacy_audit.findings import Finding

    diagnostic = Diagnostic("DC02", Severity.INFO, "https://x/", 0, 0, "unseen", pointer)
    return Finding(diagnostic, None)


def test_a_cookie_seen_on_one_site_is_not_unseen_on_the_others() -> None:
    shop = [_dc02("/cookies/trackers/0"), _dc02("/cookies/trackers/1")]  # 2 is seen here
    blog = [_dc02("/cookies/trackers/1"), _dc02("/cookies/trackers/2")]  # 0 is seen here
    offline = [_dc02("/cookies/trackers/9")]  # not observed: tells nothing
    kept = drop_seen_elsewhere([shop, blog, offline], [True, True, False])
    pointers = [[f.diagnostic.pointer for f in findings] for findings in kept]
    assert pointers == [["/cookies/trackers/1"], ["/cookies/trackers/1"], []]


def test_a_site_keeps_its_history_when_the_controller_gains_or_loses_a_site(
    tmp_path: Path,
) -> None:
    one, several = tmp_path / "one", tmp_path / "several"
    (one).mkdir()
    (one / "report.json").write_text(json.dumps({"target_url": "https://shop.example/"}))
    assert site_report(one, "shop.example", "https://shop.example/") == one / "report.json"
    assert site_report(one, "blog.example", "https://blog.example/") is None
    assert site_report(one) == one / "report.json"  # one site: whatever was audited there
    (several / "shop.example").mkdir(parents=True)
    (several / "shop.example" / "report.json").write_text("{}")
    (several / "evil").mkdir()
    (several / "evil" / "report.json").write_text("{}")
    sites = [
        {"url": "https://shop.example/", "folder": "shop.example"},
        {"url": "https://evil.example/", "folder": "../one"},  # never outside the folder
    ]
    (several / "sites.json").write_text(json.dumps({"format_version": 1, "sites": sites}))
    assert site_report(several, "", "https://evil.example/") is None
    assert site_report(several, "", "https://shop.example/") is None  # a tampered file: unread
    (several / "sites.json").write_text(json.dumps({"format_version": 1, "sites": sites[:1]}))
    shop = several / "shop.example" / "report.json"
    assert site_report(several, "", "https://shop.example/") == shop
    assert site_report(several, "shop.example", "https://shop.example/") == shop
    assert site_report(several, "", "https://evil.example/") is None
    assert site_report(several, "", "https://blog.example/") is None


# --- end to end, on loopback ----------------------------------------------------------------


def _controller(tmp_path: Path, *urls: str) -> Path:
    """The tarteaucitron shop's declaration, with several websites."""
    text = (SITES / "tarteaucitron/controller.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("website:")]
    sites = [f"website: {urls[0]}", "websites:", *(f"  - {{url: '{u}'}}" for u in urls[1:])]
    path = tmp_path / "two-sites.yaml"
    path.write_text("\n".join([*sites, *lines]) + "\n", encoding="utf-8")
    return path


def _argv(controller: Path, out: Path, server: SiteServer) -> list[str]:
    argv = ["audit", str(controller), "--out", str(out), "--quiet", "--pages", "1"]
    argv += ["--timeout", str(round(patience(10))), "--consent-wait", "3", "--settle", "0.5"]
    for rule in server.resolve:
        argv += ["--resolve", rule]
    return argv


def _findings(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))["findings"]


def _rules(folder: Path) -> set[tuple[str, str | None]]:
    return {(f["rule"], f["phase"]) for f in _findings(folder)}


def _unseen(folder: Path) -> set[str]:
    """Declared trackers reported as never observed (DC02) on the site."""
    return {
        str((f.get("cookie") or {}).get("name") or (f.get("storage") or {}).get("key"))
        for f in _findings(folder)
        if f["rule"] == "DC02"
    }


@pytest.mark.browser
def test_two_websites_two_reports_one_verdict(
    serve_site: Any, tmp_path: Path, capsys: Any, lent_browser: Any
) -> None:
    shop, plain = serve_site("tarteaucitron"), serve_site("plain")
    shop_url, plain_url = shop.url(), plain.url()
    controller = _controller(tmp_path, shop_url, plain_url)
    out = tmp_path / "report"
    code = main(_argv(controller, out, shop))
    printed = capsys.readouterr().out
    assert code == 1, printed
    shop_dir, plain_dir = f"shop.test-{shop.http_port}", f"shop.test-{plain.http_port}"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [shop_dir, plain_dir, "sites.json", ".privacy-pages-report"]
    )
    for folder in (shop_dir, plain_dir):
        names = {p.name for p in (out / folder).iterdir()}
        assert set(REPORT_FILES) <= names, folder
    sites = json.loads((out / "sites.json").read_text(encoding="utf-8"))
    assert (sites["verdict"], sites["exit_code"]) == ("fail", 1)
    assert [(s["url"], s["folder"]) for s in sites["sites"]] == [
        (shop_url, shop_dir),
        (plain_url, plain_dir),
    ]
    assert "matched as a whole against each site" in sites["note"]
    # The consent manager's cookie is seen on the shop only: never "not observed" on the
    # plain site (which has no banner); `lang`, seen on neither, is reported on both.
    unseen = {folder: _unseen(out / folder) for folder in (shop_dir, plain_dir)}
    assert "lang" in unseen[shop_dir] and unseen[plain_dir] == unseen[shop_dir]
    assert "tarteaucitron" not in unseen[plain_dir] and "sid" not in unseen[plain_dir]
    assert ("BN00", "before-consent") in _rules(out / plain_dir)
    soup = BeautifulSoup((out / plain_dir / "report.html").read_text("utf-8"), "html.parser")
    note = soup.select_one("#executive-summary .sites-note").get_text(" ", strip=True)
    assert plain_url in note and shop_url in note and "one of the 2 websites" in note
    assert str(out / plain_dir / "report.html") in printed and str(out / "sites.json") in printed

    # Again into the same folder: each site is compared with its own previous report.
    assert main(_argv(controller, out, shop)) == 1
    for folder in (shop_dir, plain_dir):
        report = json.loads((out / folder / "report.json").read_text(encoding="utf-8"))
        assert report["since_last_audit"]["worse"] is False, folder
        assert report["since_last_audit"]["counts"]["new"] == 0, folder


@pytest.mark.browser
def test_a_site_that_cannot_be_observed_makes_the_run_incomplete(
    serve_site: Any, tmp_path: Path, capsys: Any, lent_browser: Any
) -> None:
    plain, out = serve_site("plain"), tmp_path / "report"
    offline = f"http://shop.test:{plain.closed_port}/"
    code = main(_argv(_controller(tmp_path, plain.url(), offline), out, plain))
    err = capsys.readouterr().err
    assert code == 4, err  # the client was not audited: not a failure of the tool (2)
    sites = json.loads((out / "sites.json").read_text(encoding="utf-8"))
    assert sites["verdict"] == "incomplete" and sites["exit_code"] == 4
    assert [s["verdict"] for s in sites["sites"]] == ["fail", "incomplete"]
    assert (out / f"shop.test-{plain.http_port}" / "report.html").is_file()
    assert f"{offline}: incomplete, no page of the site could be loaded" in err


@pytest.mark.browser
def test_url_audits_exactly_one_site_into_the_folder_itself(
    serve_site: Any, tmp_path: Path, lent_browser: Any
) -> None:
    plain = serve_site("plain")
    controller = _controller(tmp_path, plain.url(), f"http://shop.test:{plain.closed_port}/")
    out = tmp_path / "report"
    assert main([*_argv(controller, out, plain), "--url", plain.url()]) == 1
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted(
        [*REPORT_FILES, ".privacy-pages-report"]
    )
    assert not (out / "sites.json").exists()

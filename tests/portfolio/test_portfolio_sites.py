"""A client with two websites in the portfolio: audited site by site, compared site by site.

Three loopback client sites (`portfolio_sites.PortfolioSites`); the controller ``duo`` lists
two of them (``client01.test`` with a declared tracker, ``client03.test`` clean), ``solo``
the third. Between two ``audit --all`` runs a tracker is added to one of duo's sites only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from privacy_audit.portfolio.overview import merged_history

from ..conftest import invoke as cli
from ..conftest import patience, spawn
from .portfolio_sites import RESOLVE, PortfolioSites

OPTIONS = ["--pages", "1", "--consent-wait", "0", "--settle", "0.3"]
OPTIONS += ["--timeout", str(round(patience(15)))]
OPTIONS += ["--resolve", RESOLVE, "--quiet", "--format", "html,json"]

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


def _duo(sites: PortfolioSites) -> str:
    return "\n".join(
        [
            "id: duo",
            "languages: [en]",
            f"website: {sites.url('client01')}",
            "websites:",
            f"  - {{url: '{sites.url('client03')}', name: Duo blog}}",
            "  - {url: 'https://apps.example.test/duo', kind: app}",  # never visited
            "controller: {name: Duo SAS}",
            "recipients:",
            "  - {id: stats, name: Stats SAS, kind: processor, hosts: [stats.test]}",
            "cookies:",
            "  categories:",
            "    - {id: necessary, kind: strictly_necessary}",
            "    - {id: audience, kind: analytics}",
            "  trackers:",
            "    - {name: sess, category: necessary, lifetime: session}",
            "    - {name: _st_id, recipient: stats, category: audience, lifetime: P1Y}",
            "    - {name: _st_seen, type: local_storage, recipient: stats, category: audience}",
            "",
        ]
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    base = tmp_path_factory.mktemp("sites")
    content, out = base / "content", base / "audits"
    with PortfolioSites(3) as sites:
        sites.write_controllers(content)
        (content / "client01.yaml").unlink()
        (content / "client03.yaml").unlink()
        (content / "duo.yaml").write_text(_duo(sites), encoding="utf-8")
        audit = ["audit", "--all", str(content), "--out", str(out), *OPTIONS]
        first = spawn(*audit)
        sites.add_tracker("client03", "pixel.test")
        second = spawn(*audit)
        portfolio = cli("portfolio", str(out), "--out", str(base / "portfolio"))
        yield {
            "base": base,
            "out": out,
            "first": first,
            "second": second,
            "portfolio": portfolio,
            "port": sites.port,
            "urls": [sites.url("client01"), sites.url("client03")],
        }


def _runs(out: Path) -> list[Path]:
    return sorted(p for p in (out / "duo").iterdir() if p.is_dir())


def test_each_website_has_its_own_reports_in_the_run(runs: dict[str, Any]) -> None:
    assert runs["first"].code == 1, runs["first"].err
    port = runs["port"]
    folders = [f"client01.test-{port}", f"client03.test-{port}"]
    for run in _runs(runs["out"]):
        names = sorted(p.name for p in run.iterdir())
        assert names == sorted([*folders, "run.json", "sites.json", ".privacy-pages-report"])
        for folder in folders:
            assert (run / folder / "report.json").is_file()
            assert (run / folder / "report.html").is_file()
    record = json.loads((_runs(runs["out"])[0] / "run.json").read_text())
    assert [(s["url"], s["folder"]) for s in record["sites"]] == list(zip(runs["urls"], folders))
    assert [s["verdict"] for s in record["sites"]] == ["fail", "fail"]  # TX01: plain HTTP
    assert record["verdict"] == "fail" and record["exit_code"] == 1
    assert {f["site"] for f in record["findings"]} == set(runs["urls"])
    latest = (runs["out"] / "duo" / "LATEST").read_text().strip()
    assert latest == _runs(runs["out"])[-1].name


def test_the_site_that_changed_makes_the_client_worse(runs: dict[str, Any]) -> None:
    second = runs["second"]
    assert second.code == 3, (second.out, second.err)
    record = json.loads((_runs(runs["out"])[-1] / "run.json").read_text())
    assert [s["worse"] for s in record["sites"]] == [False, True]
    assert record["worse"] is True and record["previous_run"] == _runs(runs["out"])[0].name
    history = merged_history([runs["out"]])
    assert sorted(h["controller"] for h in history) == ["client02", "client02", "duo", "duo"]


def test_audit_diff_compares_site_by_site(runs: dict[str, Any]) -> None:
    old, new = _runs(runs["out"])
    result = cli("audit", "diff", str(old), str(new), "--format", "json", codes=(3,))
    diff = json.loads(result.out)
    first, second = runs["urls"]
    assert diff["worse"] is True and diff["only_in"] == {}
    assert diff["sites"][first]["unchanged"] is True
    assert diff["sites"][second]["worse"] is True
    appeared = diff["sites"][second]["changes"]["before-consent"]["third_parties"]["appeared"]
    assert appeared == ["pixel.test"]
    text = cli("audit", "diff", str(old), str(new), codes=(3,)).out
    assert f"site {second}:" in text and "+ third party pixel.test" in text
    # A controller's folder of runs means its latest run, here too.
    assert cli("audit", "diff", str(old), str(runs["out"] / "duo"), codes=(3,))


def test_portfolio_lists_and_links_both_sites(runs: dict[str, Any]) -> None:
    assert runs["portfolio"].code == 1, runs["portfolio"].err
    folder = runs["base"] / "portfolio"
    document = json.loads((folder / "portfolio.json").read_text())
    duo = next(c for c in document["clients"] if c["id"] == "duo")
    assert duo["verdict"] == "fail" and duo["worse"] is True and duo["report"] is None
    assert [(s["url"], s["verdict"], s["worse"]) for s in duo["sites"]] == [
        (runs["urls"][0], "fail", False),
        (runs["urls"][1], "fail", True),
    ]
    solo = next(c for c in document["clients"] if c["id"] == "client02")
    assert solo["sites"] == [] and solo["report"] == "reports/client02.html"
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("#client-duo a")]
    assert len(links) == 2 and all((folder / link).is_file() for link in links)
    assert all(link.startswith("reports/duo/") for link in links)
    assert not any("_source" in json.dumps(c) for c in document["clients"])

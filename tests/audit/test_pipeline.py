"""The typed pipeline (`privacy_audit.pipeline`) without a browser.

The collect step is replaced by replaying a recorded ``observations.json`` (the versioned seam
between collecting and judging); everything after it runs for real: inspect, suppressions,
reports, "since the last audit", the verdict, the combined result of several websites.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from privacy_audit.collect.collector import AuditError, Progress
from privacy_audit.observations import Observations
from privacy_audit.pipeline import (
    OBSERVATIONS_FILE,
    AuditInputError,
    AuditOptions,
    Console,
    Observe,
    Target,
    audit_controller,
)
from privacy_audit.report.options import ReportOptions
from privacy_audit.settings import AuditSettings, CrawlSettings, SettingsError
from privacy_pages.diagnostics import ExitCode

from . import inspect_fixtures as fx
from .test_report import GOLDEN, _redact

SHOP = fx.DATA / "controllers" / "shop.yaml"


def _options(**changes: Any) -> AuditOptions:
    options = AuditOptions(
        crawl=CrawlSettings(),
        knowledge=fx.builtin_knowledge(),
        severities={},
        formats=("html", "json", "junit"),
        presentation=ReportOptions().presentation(),
    )
    return replace(options, **changes)


def _replay(*names: str, seen: list[str] | None = None) -> Observe:
    """Collect by reading recorded observations, one file per site in turn, at the site's URL."""
    queue = list(names)

    def observe(settings: AuditSettings, folder: Path, progress: Progress | None) -> Observations:
        name = queue.pop(0) if len(queue) > 1 else queue[0]
        if seen is not None:
            seen.append(settings.url)
        path = fx.DATA / "observations" / f"{name}.json"
        observations = Observations.from_json(path.read_text(encoding="utf-8"))
        observations.target_url = settings.url
        return observations

    return observe


def _controller(tmp_path: Path, extra: str) -> Path:
    """The shop fixture with ``extra`` lines replacing its website."""
    text = SHOP.read_text(encoding="utf-8").replace("website: https://shop.example.fr/\n", extra)
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_site_writes_the_golden_reports(tmp_path: Path, capsys: Any) -> None:
    """The pipeline's report.json is the report the golden file holds: no step added or lost."""
    out = tmp_path / "report"
    result = audit_controller(SHOP, _options(), out, observe=_replay("shop-bad"))
    written = _redact((out / "report.json").read_text(encoding="utf-8"))
    assert written == (GOLDEN / "shop-bad.report.json").read_text(encoding="utf-8")
    document = json.loads(written)
    assert result.exit_code == document["summary"]["exit_code"] == ExitCode.FINDINGS
    assert result.verdict == "fail" and result.controller == str(SHOP)
    assert result.pages == len(document["pages"]) == 7
    assert [row["rule"] for row in result.findings] == [f["rule"] for f in document["findings"]]
    assert result.counts["error"] == sum(f["severity"] == "error" for f in document["findings"])
    assert json.loads((out / OBSERVATIONS_FILE).read_text(encoding="utf-8"))["target_url"] == (
        "https://shop.example.fr/"
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{SHOP}: https://shop.example.fr/: {len(result.findings)} finding")
    assert lines[1:] == [f"  {fmt}: {out / name}" for fmt, name in _FILES]


_FILES = (("html", "report.html"), ("json", "report.json"), ("junit", "report.junit.xml"))


def test_several_websites_one_folder_each_one_verdict(tmp_path: Path, capsys: Any) -> None:
    path = _controller(
        tmp_path,
        "website: https://shop.example.fr/\nwebsites:\n  - url: https://blog.example.fr/\n",
    )
    seen: list[str] = []
    out = tmp_path / "report"
    result = audit_controller(
        path, _options(), out, observe=_replay("shop-bad", "shop-good", seen=seen)
    )
    assert seen == ["https://shop.example.fr/", "https://blog.example.fr/"]
    assert [site.folder for site in result.sites] == ["shop.example.fr", "blog.example.fr"]
    assert [site.verdict for site in result.sites] == ["fail", "pass"]
    assert result.verdict == "fail" and result.exit_code == ExitCode.FINDINGS
    document = json.loads((out / "sites.json").read_text(encoding="utf-8"))
    assert [site["url"] for site in document["sites"]] == seen
    assert document["verdict"] == "fail"
    for site in result.sites:
        assert (out / site.folder / "report.json").is_file()
    # A finding about the declaration itself is the same on every site: counted once.
    declaration = [(row["rule"], row["subject"]) for row in result.findings if not row["phase"]]
    assert len(declaration) == len(set(declaration))
    assert capsys.readouterr().out.splitlines()[-2].startswith(f"{path}: 2 websites: fail; ")


def test_a_site_that_could_not_run_is_a_result_and_leaves_the_folder(tmp_path: Path) -> None:
    def fails(settings: AuditSettings, folder: Path, progress: Progress | None) -> Observations:
        raise AuditError("/usr/bin/chromium: the browser did not start: gone")

    out = tmp_path / "report"
    result = audit_controller(SHOP, _options(), out, observe=fails, console=Console(quiet=True))
    assert (result.exit_code, result.verdict) == (ExitCode.FAILURE, "could-not-run")
    assert result.error == "/usr/bin/chromium: the browser did not start: gone"
    assert not out.exists()


def test_the_served_folder_keeps_the_path_of_the_website(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    path = _controller(tmp_path, "website: https://shop.example.fr/fr/\n")
    seen: list[str] = []
    audit_controller(
        path,
        _options(),
        tmp_path / "report",
        target=Target(serve=site),
        observe=_replay("shop-good", seen=seen),
        console=Console(quiet=True),
    )
    assert len(seen) == 1 and seen[0].startswith("http://127.0.0.1:")
    assert seen[0].endswith("/fr/")


def test_previous_report_gives_since_last_audit(tmp_path: Path) -> None:
    out = tmp_path / "report"
    audit_controller(SHOP, _options(), out, observe=_replay("shop-good"), console=Console(True))
    kept = tmp_path / "previous.json"
    kept.write_bytes((out / "report.json").read_bytes())
    again = audit_controller(
        SHOP,
        _options(),
        out,
        previous=lambda folder, url: kept,
        observe=_replay("shop-bad"),
        console=Console(quiet=True),
    )
    assert again.worse and again.since_last is not None
    assert again.since_last["counts"]["new_errors"] >= 1


@pytest.mark.parametrize(
    ("extra", "target", "message"),
    [
        ("", None, "{path}: the controller has no `website` to audit; add `website: https://...`"),
        (
            "website: https://shop.example.fr/\n",
            Target(url="ftp://shop.test/"),
            "--url: 'ftp://shop.test/' is not an http(s) URL",
        ),
        (
            "website: https://shop.example.fr/\n",
            Target(url="https://a.test/", serve=Path("site")),
            "--serve and --url exclude each other",
        ),
        (
            "website: https://shop.example.fr/\n",
            Target(serve=Path("/nonexistent-folder")),
            "--serve: /nonexistent-folder: no such folder",
        ),
    ],
)
def test_bad_input_is_one_line_before_any_collect(
    tmp_path: Path, extra: str, target: Target | None, message: str
) -> None:
    path = _controller(tmp_path, extra)
    seen: list[str] = []
    with pytest.raises(AuditInputError) as raised:
        audit_controller(
            path, _options(), tmp_path / "r", target=target, observe=_replay("x", seen=seen)
        )
    assert str(raised.value).startswith(message.format(path=path))
    assert "\n" not in str(raised.value) and seen == []


def test_missing_controller_and_foreign_out_dir(tmp_path: Path) -> None:
    with pytest.raises(AuditInputError, match="no such controller file"):
        audit_controller(tmp_path / "none.yaml", _options(), tmp_path / "r")
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(AuditInputError, match="privacy-pages audit did not write"):
        audit_controller(SHOP, _options(), foreign)
    assert (foreign / "todo.txt").read_text(encoding="utf-8") == "mine"


def test_crawl_settings_are_checked_once_and_given_a_url_per_site() -> None:
    crawl = CrawlSettings(pages=3, consent_wait=1.5)
    settings = crawl.for_site("https://shop.example.fr/")
    assert (settings.url, settings.pages, settings.timeouts.banner) == (
        "https://shop.example.fr/",
        3,
        1.5,
    )
    assert list(settings.to_dict())[:2] == ["url", "pages"]
    with pytest.raises(SettingsError, match=r"^--pages: 0 is out of range; allowed 1 to 10000$"):
        CrawlSettings(pages=0)
    with pytest.raises(SettingsError, match=r"^--url: 'shop' is not an http\(s\) URL"):
        crawl.for_site("shop")

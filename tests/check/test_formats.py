"""Every output format of `check` against a golden file; SARIF against its required structure."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from privacy_pages import __version__
from privacy_pages.reporters import REPORTERS
from privacy_pages.rules import REGISTRY

from ..conftest import assert_golden
from .conftest import DATA, GOLDEN_DAY

FORMATS_DIR = DATA / "formats"
GOLDEN = DATA / "golden"


def _redact(text: str) -> str:
    return text.replace(f'"{__version__}"', '"VERSION"')


@pytest.fixture
def run_in_formats(cli, monkeypatch):
    monkeypatch.chdir(FORMATS_DIR)
    return lambda *args: cli("check", ".", "--as-of", GOLDEN_DAY, *args)


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_format_golden(fmt: str, run_in_formats) -> None:
    result = run_in_formats("--format", fmt, "--color", "never")
    assert result.code == 1, result
    extension = {"text": "txt", "github": "txt", "junit": "xml"}.get(fmt, "json")
    assert_golden(_redact(result.out), GOLDEN / f"check.{fmt}.{extension}")


def test_json_is_complete(run_in_formats) -> None:
    document = json.loads(run_in_formats("--format", "json").out)
    assert document["summary"]["files"] == 3
    assert document["summary"]["suppressed"] == 1
    assert document["suppressed"][0]["suppressed_by"].startswith("The client has not dated")
    first = document["diagnostics"][0]
    assert set(first) >= {
        "rule",
        "name",
        "severity",
        "path",
        "line",
        "column",
        "pointer",
        "message",
        "hint",
    }


def test_sarif_structure(run_in_formats) -> None:
    """The fields GitHub code scanning requires (SARIF 2.1.0 §3)."""
    sarif = json.loads(run_in_formats("--format", "sarif").out)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "privacy-pages"
    ids = [r["id"] for r in driver["rules"]]
    cited = {result["ruleId"] for result in run["results"]}
    assert ids == [r.id for r in REGISTRY if r.id in cited], "only the rules the results cite"
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    assert run["results"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")
        if "region" in location:
            assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert suppressed and suppressed[0]["suppressions"][0]["kind"] == "inSource"


def test_junit_is_valid_xml(run_in_formats) -> None:
    suite = ET.fromstring(run_in_formats("--format", "junit").out)
    assert suite.tag == "testsuite"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"broken.yaml", "complete.yaml", "problems.yaml"}
    assert cases["complete.yaml"].find("failure") is None
    assert cases["problems.yaml"].find("failure") is not None
    assert suite.get("failures") == "2"


def test_github_annotations_escape(run_in_formats) -> None:
    lines = run_in_formats("--format", "github").out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert annotations
    assert all(
        re.match(r"^::(error|warning|notice) file=[^:]+(,line=\d+,col=\d+)?,title=[^:]+::", a)
        for a in annotations
    )


def test_github_annotations_escape_paths_and_messages(cli, tmp_path, monkeypatch) -> None:
    """A comma, colon or percent sign in a path or a message must not end a property."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a,b:c%d.yaml").write_text(
        'id: shop\nlanguages: [en]\n"x%y,z:w": 1\n"multi\\nline\\r": 2\n', encoding="utf-8"
    )
    out = cli("check", ".", "--format", "github", "--select", "SCHEMA002").out
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == 2, out
    first, second = annotations
    assert first.startswith("::error file=a%2Cb%3Ac%25d.yaml,line=3,col=1,title=SCHEMA002 ")
    assert "::unknown key 'x%25y,z:w'" in first
    assert "unknown key 'multi\\nline\\r'" in second  # shown escaped, one annotation


def test_text_colour_only_when_asked(run_in_formats) -> None:
    assert "\x1b[" not in run_in_formats("--color", "never").out
    assert "\x1b[" in run_in_formats("--color", "always").out

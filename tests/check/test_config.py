"""The project configuration (.privacy-pages.yaml): found like yamllint's, read by `check`,
`export`, `build` and the plugin alike (the publish gate honours its severities), and every
bad file one line with its file and line, exit 2. Bad files are data:
tests/data/check/config/bad.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy_pages.config import ConfigError, find_config, load_config, project_config
from privacy_pages.diagnostics import Severity

from .conftest import DATA

BAD = yaml.safe_load((DATA / "config" / "bad.yaml").read_text(encoding="utf-8"))["cases"]
GAPPED = """\
id: gapped
languages: [en]
controller: {name: Gapped SAS, email: contact@gapped.example}
processing:
  - id: orders
    title: Orders
    purposes: [Deliver the order]
    legal_bases: [contract]
    retention: [{duration: P5Y, then: delete}]
    data_categories: ['TODO: ask the client']
"""


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_a_bad_configuration_is_one_line_and_exit_2(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: dict[str, Any]
) -> None:
    (tmp_path / ".privacy-pages.yaml").write_text(case["config"], encoding="utf-8")
    (tmp_path / "c.yaml").write_text(GAPPED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "c.yaml")
    assert result.code == 2, result
    assert result.out == "" and result.err.count("\n") == 1, result
    assert result.err.startswith(f"privacy-pages check: error: .privacy-pages.yaml:{case['error']}")


def test_found_here_or_in_a_parent_folder_up_to_the_project_root(tmp_path: Path) -> None:
    project = tmp_path / "agency"
    deep = project / "clients" / "a"
    deep.mkdir(parents=True)
    (tmp_path / ".privacy-pages.yaml").write_text("rules: {}\n", encoding="utf-8")
    assert find_config(deep) == tmp_path / ".privacy-pages.yaml"
    (project / ".git").mkdir()  # the project's root: the search stops there
    assert find_config(deep) is None
    (project / ".privacy-pages.yml").write_text("rules: {}\n", encoding="utf-8")
    assert find_config(deep) == project / ".privacy-pages.yml"


def test_what_it_says_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".privacy-pages.yaml"
    path.write_text(
        "rules:\n  select: [PN, CS010]\n  ignore: PN016,PN015\n"
        "  severity: {retention-vague: error, CS: warning}\n"
        "  options: {todo-left: {markers: [TODO, FIXME]}}\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.select is not None and "CS010" in config.select and "PN001" in config.select
    assert config.ignore == {"PN016", "PN015"}
    assert config.severities["PN007"] is Severity.ERROR
    assert config.severities["CS010"] is Severity.WARNING
    assert config.rule_options == {"CS010": {"markers": ("TODO", "FIXME")}}
    options = config.check_options(ignore=["PN001"], severities={"PN007": Severity.INFO})
    assert options.ignore == {"PN016", "PN015", "PN001"}  # the command line adds
    assert options.severities["PN007"] is Severity.INFO  # and wins per rule


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "rules:\n"])
def test_an_empty_file_keeps_every_default(tmp_path: Path, text: str) -> None:
    path = tmp_path / ".privacy-pages.yaml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert (config.select, config.ignore, dict(config.severities)) == (None, frozenset(), {})
    with pytest.raises(ConfigError, match="no such configuration file"):
        project_config(tmp_path, tmp_path / "missing.yaml")


def test_check_reads_it_and_the_command_line_wins(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "c.yaml").write_text(GAPPED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = json.loads(cli("check", "c.yaml", "--format", "json").out)
    todo = [d for d in before["diagnostics"] if d["rule"] == "CS010"]
    assert todo and todo[0]["severity"] == "error"
    (tmp_path / ".privacy-pages.yaml").write_text(
        "rules:\n  severity: {CS010: warning}\n", encoding="utf-8"
    )
    after = json.loads(cli("check", "c.yaml", "--format", "json").out)
    assert [d["severity"] for d in after["diagnostics"] if d["rule"] == "CS010"] == ["warning"]
    again = json.loads(cli("check", "c.yaml", "--format", "json", "--severity", "CS010=info").out)
    assert [d["severity"] for d in again["diagnostics"] if d["rule"] == "CS010"] == ["info"]
    other = tmp_path / "strict.yaml"
    other.write_text("rules:\n  ignore: [CS010]\n", encoding="utf-8")
    named = json.loads(cli("check", "c.yaml", "--format", "json", "--config", str(other)).out)
    assert not [d for d in named["diagnostics"] if d["rule"] == "CS010"]
    missing = cli("check", "c.yaml", "--config", "nope.yaml")
    assert missing.code == 2 and "nope.yaml: no such configuration file" in missing.err


def test_the_publish_gate_honours_the_configured_severity(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gap an agency made a warning in CI does not block its build, and the reverse."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "c.yaml").write_text(GAPPED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    errors = [
        d["rule"]
        for d in json.loads(cli("check", "content", "--format", "json").out)["diagnostics"]
        if d["severity"] == "error"
    ]
    assert errors, "the fixture must have gaps"
    blocked = cli("export", "content/c.yaml", "--format", "json", "--out", "out")
    assert blocked.code == 1 and "not exported" in blocked.err
    levels = ", ".join(f"{rule}: warning" for rule in sorted(set(errors)))
    (tmp_path / ".privacy-pages.yaml").write_text(
        f"rules:\n  severity: {{{levels}}}\n", encoding="utf-8"
    )
    assert cli("check", "content").code == 0
    assert cli("export", "content/c.yaml", "--format", "json", "--out", "out").code == 0
    exported = json.loads((tmp_path / "out" / "gapped" / "controller.json").read_text("utf-8"))
    assert "draft" not in exported
    built = cli("build", "--quiet", "--site-dir", "site")
    assert built.code == 0, built
    assert (tmp_path / "site" / "gapped" / "en" / "privacy" / "index.html").is_file()
    (tmp_path / ".privacy-pages.yaml").write_text(
        "rules:\n  severity: {PN016: error}\n  select: [PN016]\n", encoding="utf-8"
    )
    refused = cli("build", "--quiet", "--site-dir", "site")
    assert refused.code == 1 and "PN016" in refused.err, refused


def test_a_bad_configuration_stops_build_and_export_in_one_line(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "c.yaml").write_text(GAPPED, encoding="utf-8")
    (tmp_path / ".privacy-pages.yaml").write_text("rules:\n  ignore: [NOPE1]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    expected = ".privacy-pages.yaml:2:12: unknown rule 'NOPE1'"
    built = cli("build", "--quiet", "--site-dir", "site")
    assert (
        built.code == 2
        and built.err == f"privacy-pages build: {expected}; `privacy-pages rules` lists them\n"
    )
    exported = cli("export", "content/c.yaml")
    assert exported.code == 2 and exported.err.startswith(
        f"privacy-pages export: error: {expected}"
    )
    assert not (tmp_path / "site").exists()

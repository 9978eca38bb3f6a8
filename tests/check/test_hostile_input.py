"""Issue 9's hostile inputs and faults: one clear diagnostic or line each, never a traceback.

The file cases are data (tests/data/check/hostile.yaml); the faults of the run itself
(options, output devices, folders) are tests of their own below.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from .conftest import DATA

CASES = yaml.safe_load((DATA / "hostile.yaml").read_text(encoding="utf-8"))["cases"]
COMPLETE = DATA / "formats" / "complete.yaml"


def _text(case: dict) -> str:
    if case.get("generate") == "deep":
        return "id: " + "[" * 100_000 + "]" * 100_000 + "\n"
    return case["text"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_file(cli, tmp_path: Path, case: dict) -> None:
    path = tmp_path / f"{case['name']}.yaml"
    path.write_text(_text(case), encoding="utf-8")
    result = cli("check", str(path), "--format", "json")
    assert result.code == 1, result
    assert "Traceback" not in result.out + result.err
    loading = [
        [d["rule"], d["line"], d["column"], d["message"]]
        for d in json.loads(result.out)["diagnostics"]
        if d["rule"].startswith(("YAML", "SCHEMA"))
    ]
    assert len(loading) == len(case["expect"]), loading
    for found, (rule, line, column, words) in zip(loading, case["expect"]):
        assert found[:3] == [rule, line, column], (found, case["expect"])
        assert words in found[3], found


@pytest.mark.parametrize("command", ["build", "export", "audit"])
def test_explicit_tags_stop_every_command_with_one_line(cli, tmp_path: Path, command: str) -> None:
    """`!!bool maybe` and friends, read by build, export and audit: exit 1 or 2, no traceback."""
    content = tmp_path / "content"
    content.mkdir()
    path = content / "tags.yaml"
    path.write_text(
        "id: shop\nlanguages: [en]\nwebsite: !!bool maybe\nmeta: {effective_date: !!timestamp x}\n",
        encoding="utf-8",
    )
    args = {
        "build": ["build", "--content", str(content), "--site-dir", str(tmp_path / "site")],
        "export": ["export", str(path), "--out", str(tmp_path / "export")],
        "audit": ["audit", str(path), "--out", str(tmp_path / "audit")],
    }[command]
    result = cli(*args, "--quiet") if command == "build" else cli(*args)
    assert "Traceback" not in result.out + result.err
    assert "tags.yaml:3:10: YAML001 cannot read 'maybe' as !!bool" in result.err, result
    assert not (tmp_path / "audit").exists()
    if command == "build" and result.code == 0:
        # The repository's mkdocs.yml builds drafts: the broken file is left out, named.
        assert "left out" in result.err, result
        assert not (tmp_path / "site" / "clients" / "shop").exists()
    else:
        assert result.code in (1, 2), result
        assert not (tmp_path / "site").exists()


def test_non_finite_numbers_never_reach_an_export(cli, tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    assert "amount: 10000" in text
    path = tmp_path / "nan.yaml"
    path.write_text(text.replace("amount: 10000", "amount: .nan", 1), encoding="utf-8")
    result = cli("export", str(path), "--format", "json", "--out", str(tmp_path / "out"))
    assert result.code == 1 and "nan is not a number a page can show" in result.err, result
    assert not (tmp_path / "out").exists()


def test_controller_json_refuses_nan() -> None:
    from privacy_pages.render.exports import controller_json

    with pytest.raises(ValueError):
        controller_json({"id": "x", "controller": {"share_capital": {"amount": float("nan")}}})


def _junit(cli, path: Path) -> ET.Element:
    result = cli("check", str(path), "--format", "junit")
    assert result.code == 1, result
    return ET.fromstring(result.out.encode("utf-8"))


def test_control_characters_in_keys_keep_junit_valid_xml(cli, tmp_path: Path) -> None:
    path = tmp_path / "ctrl.yaml"
    path.write_text('id: shop\nlanguages: [en]\n"a\\x01b\\x1b[31m\\x7f": 1\n', encoding="utf-8")
    suite = _junit(cli, path)  # ET.fromstring raises on a control character
    failure = suite.find("testcase/failure")
    assert failure is not None and "unknown key 'a\\x01b\\x1b[31m\\x7f'" in (failure.text or "")


def test_suppression_reason_with_control_characters_keeps_junit_valid(cli, tmp_path: Path) -> None:
    path = tmp_path / "reason.yaml"
    path.write_text(
        'id: shop\nlanguages: [en]\nsuppressions: [{rule: CK011, reason: "a\\x02b"}]\n',
        encoding="utf-8",
    )
    suite = _junit(cli, path)
    assert "suppressed (a\\x02b)" in (suite.findtext("testcase/system-out") or "")


@pytest.mark.parametrize("color", ["always", "never"])
def test_escape_sequences_never_reach_the_terminal(cli, tmp_path: Path, color: str) -> None:
    path = tmp_path / "esc.yaml"
    path.write_text(
        'id: shop\nlanguages: [en]\n"x\\e]0;owned\\a\\e[2J": 1\n"\\u202eevil": 2\n',
        encoding="utf-8",
    )
    for fmt in ("text", "github"):
        result = cli("check", str(path), "--format", fmt, "--color", color)
        lines = [line for line in result.out.splitlines() if "unknown key" in line]
        assert len(lines) == 2, result
        for line in lines:
            cleaned = line.replace("\x1b[", "")  # rich's own colour codes when --color always
            assert not any(ch in cleaned for ch in "\x1b\x07\u202e"), repr(line)
        assert "x\\x1b]0;owned\\x07\\x1b[2J" in result.out and "\\u202eevil" in result.out


def test_line_100_is_not_an_emoji(cli, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("id: shop\nlanguages: [en]\n" + "#\n" * 97 + "nmae: 1\n", encoding="utf-8")
    for color in ("always", "never"):
        result = cli("check", str(path), "--color", color)
        assert "long.yaml:100:1" in result.out, result
        assert "\U0001f4af" not in result.out


def test_unreadable_sub_folder_fails_the_run(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads every folder, so the operating system's refusal is simulated."""
    (tmp_path / "ok.yaml").write_bytes(COMPLETE.read_bytes())
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.yaml").write_text("id: x\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path=None):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    for fmt in ("text", "json"):
        result = cli("check", str(tmp_path), "--format", fmt)
        assert result.code == 2, result
        assert f"{locked}: cannot read folder (Permission denied)" in result.out + result.err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e300"])
def test_max_file_size_must_be_a_real_size(cli, value: str) -> None:
    result = cli("check", str(COMPLETE), f"--max-file-size={value}")
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and "--max-file-size" in result.err, result


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    command = [sys.executable, "-m", "privacy_pages.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_stdout_on_a_full_device_is_one_line(fmt: str) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "privacy_pages.cli", "check", str(COMPLETE), "-f", fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "privacy-pages: error: cannot write to standard output: No space left on device\n"
    )


def test_no_validator_cache_is_written_or_read_in_the_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".cache" / "privacy-pages").mkdir(parents=True)
    # what an old version cached, corrupted: it must not be read, let alone executed
    (home / ".cache" / "privacy-pages" / "controller-validator-0.marshal").write_bytes(b"\0junk")
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"} | {"HOME": str(home)}
    result = _run("check", str(COMPLETE), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in home.rglob("*")) == [
        ".cache",
        "controller-validator-0.marshal",
        "privacy-pages",
    ]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_path_with_an_escape_sequence_is_shown_escaped(cli, fmt: str) -> None:
    result = cli("check", "missing\x1b[2J.yaml", "--format", fmt)
    assert result.code == 2, result
    assert "\x1b" not in result.out + result.err
    assert "missing\\x1b[2J.yaml: no such file or folder" in result.out + result.err

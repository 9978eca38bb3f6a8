"""Hostile and broken files: one clear diagnostic each, no traceback, the others still checked."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .conftest import DATA, generated_file

COMPLETE = DATA / "formats" / "complete.yaml"

# file name -> (content or generator, expected rule, expected line, words in the message)
BAD_FILES = {
    "broken.yaml": ("id: shop\nlanguages: [en\ncontroller: {}\n", "YAML001", 3, "syntax error"),
    "duplicate.yaml": (
        "id: shop\nlanguages: [en]\nid: other\n",
        "YAML002",
        3,
        "duplicate key 'id'",
    ),
    "wrong_type.yaml": ("id: shop\nlanguages: en\n", "SCHEMA001", 2, "expected array"),
    "unknown_key.yaml": (
        "id: shop\nlanguages: [en]\ncontroler: {}\n",
        "SCHEMA002",
        3,
        "did you mean 'controller'",
    ),
    "bomb.yaml": ("alias_bomb", "YAML003", 6, "alias bomb"),
    "deep.yaml": ("id: " + "[" * 100_000 + "]" * 100_000 + "\n", "YAML003", 1, "nested deeper"),
    "huge.yaml": ("large_file", "YAML003", 0, "MiB"),
    "latin1.yaml": ("latin1", "YAML004", 3, "not UTF-8"),
    "list.yaml": ("- id: shop\n", "YAML006", 1, "top level is a list"),
    "empty.yaml": ("", "YAML005", 1, "empty"),
    "python_tag.yaml": (
        "id: !!python/object/apply:os.system [echo hi]\nlanguages: [en]\n",
        "YAML001",
        1,
        "unsupported tag !!python",
    ),
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    for name, (content, *_rest) in BAD_FILES.items():
        if content in ("alias_bomb", "large_file", "latin1"):
            generated_file(content, tmp_path).rename(tmp_path / name)
        else:
            (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "good.yaml").write_text(COMPLETE.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_each_bad_file_is_one_diagnostic(cli, bad_folder: Path) -> None:
    started = time.perf_counter()
    result = cli("check", str(bad_folder), "--format", "json")
    elapsed = time.perf_counter() - started
    assert result.code == 1, result
    assert "Traceback" not in result.out + result.err
    document = json.loads(result.out)
    by_file: dict[str, list[dict]] = {}
    for diagnostic in document["diagnostics"]:
        by_file.setdefault(Path(diagnostic["path"]).name, []).append(diagnostic)
    for name, (_content, rule, line, words) in BAD_FILES.items():
        found = by_file.get(name, [])
        loading = [d for d in found if d["rule"].startswith(("YAML", "SCHEMA"))]
        assert len(loading) == 1, (name, found)
        assert loading[0]["rule"] == rule and loading[0]["line"] == line, (name, loading)
        assert words in loading[0]["message"], (name, loading)
    assert "good.yaml" not in by_file
    assert document["summary"]["files"] == len(BAD_FILES) + 1
    assert elapsed < 10, f"hostile files took {elapsed:.1f}s"


def test_text_output_is_one_line_per_problem(cli, bad_folder: Path) -> None:
    result = cli("check", str(bad_folder / "latin1.yaml"))
    lines = [line for line in result.out.splitlines() if not line.startswith("    ")]
    assert lines[0].endswith(
        "latin1.yaml:3:30: YAML004 error not UTF-8: byte 0xE9 cannot be decoded (not-utf8)"
    )
    assert "hint: save the file as UTF-8" in result.out


def test_markup_in_values_is_printed_literally(cli, tmp_path: Path) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text("id: shop\nlanguages: [en]\ncontroller: {nmae: x}\nwebsite: '[bold]<script>'\n")
    result = cli("check", str(path), "--color", "always")
    assert "unknown key 'nmae'" in result.out
    # rich reads "[bold]" as markup and would drop it; the value must come out as written
    assert "'[bold]<script>' is not a web address" in result.out


def test_unreadable_file_exits_2(cli, tmp_path: Path, monkeypatch) -> None:
    """Permissions cannot lock root out, so the operating system's refusal is simulated."""
    from privacy_pages import check as lint

    def refuse(path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    path = tmp_path / "locked.yaml"
    path.write_text("id: x\n")
    monkeypatch.setattr(lint, "load_controller", refuse)
    result = cli("check", str(path))
    assert result.code == 2 and "locked.yaml: cannot read (Permission denied)" in result.out, result

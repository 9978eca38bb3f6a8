"""`audit --all` keeps to its output root, whatever a controller file says.

An id is a folder name only once the file is valid, and then through `confined_path`; a
file that cannot be read or validated is a named failure, in the run and in the
portfolio, filed under its own file name. `--keep` removes only real run folders whose
``run.json`` says they belong to that very client: a symlink is never followed or removed.
No browser is needed: these files never reach one, or reach ``/bin/false``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..conftest import spawn as cli
from .test_hostile_inputs import tree

NO_BROWSER = ["--browser", "/bin/false", "--quiet"]


def _earlier_runs(out: Path, cid: str, count: int) -> list[Path]:
    runs = []
    for month in range(1, count + 1):
        run = out / cid / f"2026{month:02d}01T000000Z"
        run.mkdir(parents=True)
        record = {"format_version": 1, "run": run.name, "controller": cid, "verdict": "pass",
                  "counts": {"error": 0, "warning": 0, "info": 0}}  # fmt: skip
        (run / "run.json").write_text(json.dumps(record), encoding="utf-8")
        runs.append(run)
    (out / cid / "LATEST").write_text(runs[-1].name + "\n", encoding="utf-8")
    return runs


def _controller(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_hostile_ids_and_broken_files_are_named_failures_inside_the_root(tmp_path: Path) -> None:
    project = tmp_path / "agency" / "project"
    content, audits = project / "content", project / "audits"
    site = "website: http://127.0.0.1:9/\n"
    _controller(content, "evil", f'id: "./victim"\nlanguages: [en]\n{site}')
    _controller(content, "up", f'id: "../.."\nlanguages: [en]\n{site}')
    _controller(content, "abs", f'id: "{tmp_path}/abs"\nlanguages: [en]\n{site}')
    _controller(content, "broken", f"id: broken\nlanguages: [en\n{site}")
    victim_runs = _earlier_runs(audits, "victim", 3)
    (tmp_path / "agency" / "keep.txt").write_text("the agency's", encoding="utf-8")
    before = tree(tmp_path)
    result = cli("audit", "--all", "content", "--out", "audits", "--keep", "1", *NO_BROWSER,
                 cwd=project)  # fmt: skip
    assert result.code == 4, result.err  # clients not audited (their files), not a tool failure
    assert "Traceback" not in result.err
    for name in ("evil", "up", "abs", "broken"):
        assert f"content/{name}.yaml" in result.err, (name, result.err)
    after = tree(tmp_path)
    added = sorted(set(after) - set(before))
    assert [k for k in before if after.get(k) != before[k]] == []  # nothing changed or gone
    outside = [a for a in added if not a.startswith("agency/project/audits/")]
    assert outside == [], outside
    assert all(run.is_dir() for run in victim_runs)
    for name in ("evil", "up", "abs", "broken"):
        (run,) = [p for p in (audits / name).iterdir() if p.is_dir()]
        record = json.loads((run / "run.json").read_text(encoding="utf-8"))
        assert record["verdict"] == "could-not-run" and record["controller"] == name
        assert f"{name}.yaml" in record["error"], record["error"]
    portfolio = cli("portfolio", "audits", "--out", "portfolio", cwd=project)
    assert portfolio.code == 4, portfolio.err  # clients that could not be audited
    document = json.loads((project / "portfolio" / "portfolio.json").read_text(encoding="utf-8"))
    verdicts = {c["id"]: c["verdict"] for c in document["clients"]}
    assert verdicts == {"abs": "could-not-run", "broken": "could-not-run",
                        "evil": "could-not-run", "up": "could-not-run", "victim": "pass"}  # fmt: skip


def test_keep_removes_only_the_clients_own_real_run_folders(tmp_path: Path) -> None:
    content, audits = tmp_path / "content", tmp_path / "audits"
    _controller(content, "shop", "id: shop\nlanguages: [en]\nwebsite: http://127.0.0.1:9/\n")
    runs = _earlier_runs(audits, "shop", 3)
    (elsewhere,) = _earlier_runs(tmp_path / "elsewhere", "shop", 1)  # an older run, outside
    linked = audits / "shop" / "20250101T000000Z"
    linked.symlink_to(elsewhere, target_is_directory=True)
    stranger = runs[1] / "run.json"
    stranger.write_text(json.dumps(json.loads(stranger.read_text()) | {"controller": "other"}))
    result = cli("audit", "--all", str(content), "--out", str(audits), "--keep", "1", *NO_BROWSER)
    assert result.code == 2, result.err  # the browser /bin/false could not run
    assert "Traceback" not in result.err
    assert linked.is_symlink() and (elsewhere / "run.json").is_file()
    assert not runs[0].exists() and runs[1].is_dir()  # the run of "other" is not shop's
    assert not runs[2].exists()
    kept = sorted(p.name for p in (audits / "shop").iterdir() if p.is_dir() and not p.is_symlink())
    assert kept == [runs[1].name, (audits / "shop" / "LATEST").read_text().strip()]


def test_a_symlinked_client_folder_is_refused(tmp_path: Path) -> None:
    content, audits = tmp_path / "content", tmp_path / "audits"
    _controller(content, "shop", "id: shop\nlanguages: [en]\nwebsite: http://127.0.0.1:9/\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    audits.mkdir()
    (audits / "shop").symlink_to(elsewhere, target_is_directory=True)
    result = cli("audit", "--all", str(content), "--out", str(audits), *NO_BROWSER)
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "symlink" in lines[0], result.err
    assert os.listdir(elsewhere) == []


def test_what_a_file_names_reaches_the_terminal_escaped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _controller(content, "\x1b]0;owned\x07", "id: [broken\n")
    _controller(content, "shop", "id: shop\nlanguages: [en]\nwebsite: http://127.0.0.1:9/\x1b[2J\n")
    result = cli("audit", "--all", str(content), "--out", str(tmp_path / "a"), *NO_BROWSER)
    assert result.code == 2, result.err
    out = result.out + result.err
    assert "\\x1b]0;owned\\x07" in out and not {"\x1b", "\x07"} & set(out), out

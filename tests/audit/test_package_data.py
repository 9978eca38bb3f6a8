"""The audit's data files (page scripts, phrase tables, catalogues, templates) ship inside the
wheel and are read from the installed package with importlib.resources, never from the
repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from privacy_audit.consent.controls import (
    CLOSED_ROOTS_SCRIPT,
    FIND_CONTROLS_SCRIPT,
    IS_STILL_VISIBLE_SCRIPT,
    SHADOW_ROOT,
)
from privacy_audit.consent.driver import banner_shown_script, dom_watch_script
from privacy_audit.consent.phrases import KINDS, PHRASE_TABLES, REFUSE_PHRASES, phrases_for

from ..conftest import installer_env
from .inspect_fixtures import REPO_ROOT

PACKAGE = REPO_ROOT / "audits" / "privacy_audit"
CONSENT = PACKAGE / "consent"


def _data_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    )


def test_every_data_file_ships_in_the_wheel_and_is_read_from_it(tmp_path: Path) -> None:
    """Built with pip as a user would; imported straight from the zip file (zipimport), so
    importlib.resources reads the archive, not the repository."""
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path)]
    # pip fetches the build backend (hatchling) from PyPI: the one install the guard allows
    subprocess.run(
        [*build, str(REPO_ROOT)], check=True, capture_output=True, timeout=300, env=installer_env()
    )
    (wheel,) = tmp_path.glob("privacy_pages-*.whl")
    files = _data_files()
    assert {"phrases.yaml", "scripts/find_controls.js"} <= {
        p.relative_to(CONSENT).as_posix() for p in files if CONSENT in p.parents
    }
    with zipfile.ZipFile(wheel) as archive:
        for path in files:
            name = f"privacy_audit/{path.relative_to(PACKAGE).as_posix()}"
            assert archive.read(name) == path.read_bytes(), name
    probe = (
        "import privacy_audit.consent.driver as d, privacy_audit.consent.phrases as p;"
        "print(d.__file__); print(len(d.banner_shown_script())); print(len(p.REFUSE_PHRASES))"
    )
    environment = {**os.environ, "PYTHONPATH": str(wheel)}
    run = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout.decode().split() == [
        str(wheel / "privacy_audit" / "consent" / "driver.py"),
        str(len(banner_shown_script())),
        str(len(REFUSE_PHRASES)),
    ]


def test_phrase_tables_are_the_data_file() -> None:
    data = yaml.safe_load((CONSENT / "phrases.yaml").read_text(encoding="utf-8"))
    assert set(data) == {*KINDS, "close_glyphs"}
    for kind in KINDS:
        assert PHRASE_TABLES[kind] == {lang: tuple(words) for lang, words in data[kind].items()}
        for lang, words in data[kind].items():
            assert words == [w.lower() for w in words], (kind, lang)  # matched in lowercase
            assert len(words) == len(set(words)), (kind, lang)
    # The page's language first, then every other language's phrases, each once.
    assert phrases_for("fr-FR", REFUSE_PHRASES)[0] == "tout refuser"
    assert phrases_for("", REFUSE_PHRASES) == list(
        dict.fromkeys(w for words in REFUSE_PHRASES.values() for w in words)
    )


def test_page_scripts_are_the_files_without_their_last_newline() -> None:
    text = (CONSENT / "scripts" / "find_controls.js").read_text(encoding="utf-8")
    assert FIND_CONTROLS_SCRIPT == text.removesuffix("\n").replace("SHADOW_ROOT", SHADOW_ROOT)
    for script in (FIND_CONTROLS_SCRIPT, CLOSED_ROOTS_SCRIPT, IS_STILL_VISIBLE_SCRIPT):
        assert not {"SHADOW_ROOT", "CLOSED_ROOT_KEY", "MARKED_CONTROL"} & set(
            re.findall(r"[A-Z_]{8,}", script)
        ), script  # every placeholder filled
    assert f"({FIND_CONTROLS_SCRIPT})(" in banner_shown_script()
    watch = dom_watch_script(0.03)
    assert "setTimeout(report, 30)" in watch and "__privacyPagesDomChanged" in watch
    assert "BINDING" not in watch and "PAUSE" not in watch and watch.endswith("})();\n")

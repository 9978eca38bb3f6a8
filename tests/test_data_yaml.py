"""The packages' YAML data reads the same with the fast loader as with ``yaml.safe_load``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from privacy_pages.data_yaml import SAFE_LOADER, load_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA_FILES = sorted(
    path
    for package in ("plugins/privacy_pages", "audits/privacy_audit")
    for path in (ROOT / package).rglob("*.yaml")
)


def test_every_package_has_data_files() -> None:
    folders = {path.relative_to(ROOT).parts[0] for path in DATA_FILES}
    assert folders == {"plugins", "audits"}


@pytest.mark.parametrize("path", DATA_FILES, ids=[str(p.relative_to(ROOT)) for p in DATA_FILES])
def test_fast_loader_reads_what_safe_load_reads(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.safe_load(text)


def test_the_fast_loader_builds_no_python_object() -> None:
    assert issubclass(SAFE_LOADER, yaml.constructor.SafeConstructor)
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")

"""The rooms keep their jobs: render is pure, cli/ only reads arguments, the core never
imports the crawler, every plugin event is guarded by ``enabled`` and states its priority."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import privacy_pages
from privacy_pages.site.mkdocs_plugin import PrivacyPagesPlugin

PACKAGE = Path(privacy_pages.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _modules(room: str) -> list[Path]:
    return sorted((PACKAGE / room).glob("*.py"))


@pytest.mark.parametrize("module", _modules("render"), ids=lambda p: p.name)
def test_render_imports_neither_check_nor_publishing_nor_reporters(module: Path) -> None:
    forbidden = ("privacy_pages.check", "privacy_pages.site", "privacy_pages.reporters")
    forbidden += ("privacy_pages.cli", "privacy_pages.config", "privacy_audit", "mkdocs")
    assert not [m for m in _imports(module) if m.startswith(forbidden)]


@pytest.mark.parametrize("module", _modules("cli"), ids=lambda p: p.name)
def test_a_command_module_only_reads_arguments(module: Path) -> None:
    """HELP, add_arguments(parser), run(args) and private helpers: the work is elsewhere."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    public = [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
    ]
    allowed = {"add_arguments", "run", "options_from_args", "build_parser", "main"}
    assert set(public) <= allowed, public
    assert len(module.read_text(encoding="utf-8").splitlines()) < 200


def test_yaml_read_as_plain_data_goes_through_one_loader() -> None:
    """`data_yaml.load_yaml` (in C when PyYAML can), never ``yaml.safe_load`` beside it."""
    import privacy_audit

    audit = Path(privacy_audit.__file__).parent
    calls = [
        f"{module.name}:{node.lineno}"
        for module in [*PACKAGE.rglob("*.py"), *audit.rglob("*.py")]
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr in ("safe_load", "safe_load_all")
        and isinstance(node.value, ast.Name)
        and node.value.id == "yaml"
    ]
    assert not calls, calls


def test_the_core_never_imports_the_crawler_at_module_level() -> None:
    for module in PACKAGE.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = {getattr(n, "module", None) or n.names[0].name for n in top}
        assert not [n for n in names if n and n.startswith("privacy_audit")], module


EVENTS = sorted(name for name in dir(PrivacyPagesPlugin) if name.startswith("on_"))


@pytest.mark.parametrize("event", EVENTS)
def test_every_plugin_event_states_its_priority_and_checks_enabled(event: str) -> None:
    method = getattr(PrivacyPagesPlugin, event)
    assert hasattr(method, "mkdocs_priority"), f"{event}: no @event_priority"
    source = inspect.getsource(method)
    assert event == "on_startup" or "if not self.config.enabled" in source, event
    comment = inspect.getsource(PrivacyPagesPlugin).split(f"def {event}(")[0].rsplit("\n\n", 1)[-1]
    assert "#" in comment, f"{event}: say why its priority is what it is"

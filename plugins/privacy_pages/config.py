"""The project configuration: one file read by `check`, `build`, `export` and the MkDocs plugin.

As yamllint reads ``.yamllint``, privacy-pages reads ``.privacy-pages.yaml`` (or ``.yml``):
in the working folder for `check` and `export`, beside mkdocs.yml for the plugin and
`build`, or in the nearest parent folder that has one (the search stops at the folder
holding ``.git``). ``--config FILE`` (or the plugin's ``config_file``) names one instead.

```yaml
rules:
  select: [PN, LN, CK, CS]      # IDs, names or prefixes; default: every rule
  ignore: [PN016]
  severity: {PN007: error, cookie-policy-missing: info}
  options:
    CS010: {markers: [TODO, FIXME]}   # each rule's options, defaults in docs/rules.md
```

The publish gate runs `check` with these settings, so a severity an agency relies on in
CI is the one its builds honour. A bad file is one line naming the file, the line and
what to do (`ConfigError`); the commands exit 2 on it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from privacy_pages.check import CheckOptions
from privacy_pages.diagnostics import Severity
from privacy_pages.model.yaml_source import LoadedDocument, load_file
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import RemovedRule

CONFIG_NAMES = (".privacy-pages.yaml", ".privacy-pages.yml")
_SECTIONS = {"rules": "which rules run, at which severity, with which options"}
_RULE_KEYS = ("select", "ignore", "severity", "options")
_RULES = REGISTRY.scoped("check")
_EMPTY, _NOT_A_MAPPING = "YAML005", "YAML006"  # the loader's rules for these two shapes
_MAPPING = "the configuration is a mapping, e.g. `rules: {ignore: [PN016]}`"


class ConfigError(Exception):
    """The configuration file cannot be used; ``str(error)`` is ``FILE:LINE:COL: what``."""


@dataclass(frozen=True)
class ProjectConfig:
    """What the configuration file says (nothing: every rule at its default)."""

    path: Path | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def check_options(
        self,
        *,
        select: frozenset[str] | None = None,
        ignore: Iterable[str] = (),
        severities: Mapping[str, Severity] | None = None,
        max_bytes: int | None = None,
        as_of: datetime.date | None = None,
    ) -> CheckOptions:
        """The options of a run: this file's, then the command line's (``--select``
        replaces the file's choice, ``--ignore`` adds to it, ``--severity`` wins per rule;
        ``as_of``: the law of that day)."""
        extra: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
        return CheckOptions(
            select=select if select is not None else self.select,
            ignore=self.ignore | frozenset(ignore),
            severities={**self.severities, **(severities or {})},
            rule_options=dict(self.rule_options),
            as_of=as_of,
            **extra,
        )


def find_config(start: Path) -> Path | None:
    """The configuration file of the folder ``start`` or of its nearest parent that has
    one; the search ends at the project's root (a folder holding ``.git``)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file():
                return path
        if (candidate / ".git").exists():
            return None
    return None


def project_config(start: Path, explicit: Path | None = None) -> ProjectConfig:
    """The configuration named by ``explicit``, else the one found from ``start``."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return load_config(explicit)
    found = find_config(start)
    return load_config(found) if found is not None else ProjectConfig()


def page_check_options(as_of: str | None, explicit: str | None) -> CheckOptions:
    """The check options commands that write pages run with: the project's configuration
    (``--config``, else the one found from the working folder) for the law in force on
    ``--as-of``'s day. `ConfigError` names the option or the file and what is wrong."""
    from privacy_pages.rules.sources import parse_day

    try:
        day = parse_day(as_of) if as_of else None
    except ValueError as error:
        raise ConfigError(f"--as-of: {error}") from None
    config = project_config(Path.cwd(), Path(explicit) if explicit else None)
    return config.check_options(as_of=day)


def _shown(path: Path) -> Path:
    """``path`` as a person would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (OSError, ValueError):
        return path


def load_config(path: Path) -> ProjectConfig:
    """Read and check one configuration file; `ConfigError` names the first problem."""
    path = _shown(path)
    try:
        document = load_file(path, display_path=str(path))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or error})") from None
    problems = [d for d in document.diagnostics if d.severity is Severity.ERROR]
    if problems:
        first = problems[0]
        if first.rule == _EMPTY:
            return ProjectConfig(path=path)  # nothing said yet: the defaults
        if first.rule == _NOT_A_MAPPING:
            raise ConfigError(f"{first.location}: {_MAPPING}")
        raise ConfigError(f"{first.location}: {first.message}")
    return _Reader(document, path).read()


class _Reader:
    """Walks the file's data, naming the line of each value it refuses."""

    def __init__(self, document: LoadedDocument, path: Path) -> None:
        self.document = document
        self.path = path

    def fail(self, pointer: str, message: str, *, at_key: bool = False) -> ConfigError:
        positions = self.document.positions
        line, column = positions.of_key(pointer) if at_key else positions.of_value(pointer)
        return ConfigError(f"{self.path}:{line}:{column}: {message}")

    def read(self) -> ProjectConfig:
        data = self.document.data
        if not isinstance(data, dict):
            raise self.fail("", _MAPPING)
        self._known_keys(data, "", _SECTIONS)
        rules = data.get("rules") or {}
        if not isinstance(rules, dict):
            raise self.fail("/rules", "`rules` is a mapping of select, ignore, severity, options")
        self._known_keys(rules, "/rules", dict.fromkeys(_RULE_KEYS, ""))
        select = self._rule_set(rules, "select") if "select" in rules else None
        return ProjectConfig(
            path=self.path,
            select=select,
            ignore=self._rule_set(rules, "ignore") if "ignore" in rules else frozenset(),
            severities=self._severities(rules.get("severity") or {}),
            rule_options=self._options(rules.get("options") or {}),
        )

    def _known_keys(self, mapping: dict[str, Any], pointer: str, known: Mapping[str, str]) -> None:
        for key in mapping:
            if key not in known:
                where = f"{pointer}/{key}"
                allowed = ", ".join(known)
                raise self.fail(where, f"unknown key {key!r}; use one of: {allowed}", at_key=True)

    def _rule_set(self, rules: dict[str, Any], name: str) -> frozenset[str]:
        value = rules[name]
        pointer = f"/rules/{name}"
        keys = value.split(",") if isinstance(value, str) else value
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise self.fail(pointer, f"`{name}` is a list of rule IDs, names or prefixes")
        chosen: set[str] = set()
        for index, key in enumerate(keys):
            chosen |= self._select(
                key, f"{pointer}/{index}" if isinstance(value, list) else pointer
            )
        return frozenset(chosen)

    def _select(self, key: str, pointer: str) -> set[str]:
        try:
            return _RULES.select([key])
        except RemovedRule as error:
            raise self.fail(pointer, f"{error}; remove it from the configuration") from None
        except KeyError:
            raise self.fail(
                pointer, f"unknown rule {key.strip()!r}; `privacy-pages rules` lists them"
            ) from None

    def _severities(self, value: Any) -> dict[str, Severity]:
        pointer = "/rules/severity"
        if not isinstance(value, dict):
            raise self.fail(pointer, "`severity` maps rules to a level, e.g. {PN007: error}")
        result: dict[str, Severity] = {}
        for key, level in value.items():
            where = f"{pointer}/{key}"
            if not isinstance(level, str):
                raise self.fail(where, f"{key}: give a level: error, warning or info")
            try:
                severity = Severity.parse(level)
            except ValueError as error:
                raise self.fail(where, f"{key}: {error}") from None
            for rule_id in self._select(str(key), where):
                result[rule_id] = severity
        return result

    def _options(self, value: Any) -> dict[str, dict[str, Any]]:
        pointer = "/rules/options"
        if not isinstance(value, dict):
            raise self.fail(pointer, "`options` maps a rule to its options, e.g. {CS010: {...}}")
        result: dict[str, dict[str, Any]] = {}
        for key, options in value.items():
            where = f"{pointer}/{key}"
            try:
                rule = _RULES.resolve(str(key))
            except KeyError:
                raise self.fail(
                    where,
                    f"unknown rule {key!r}: options name one rule, by ID or name",
                    at_key=True,
                ) from None
            if not isinstance(options, dict):
                raise self.fail(where, f"{rule.id}: give its options as a mapping")
            known = {option.name for option in rule.options}
            for name in options:
                if name not in known:
                    allowed = ", ".join(sorted(known)) or "none"
                    message = f"{rule.id} has no option {name!r} (its options: {allowed})"
                    raise self.fail(f"{where}/{name}", message, at_key=True)
            for name, option_value in options.items():
                try:
                    rule.read_options({name: option_value})
                except ValueError as error:
                    raise self.fail(f"{where}/{name}", str(error)) from None
            result[rule.id] = rule.read_options(options)
        return result

"""Rule definitions and the explicit registry that holds them, for `check` and the audit.

A rule has a stable ID (never reused), a kebab-case name, a default severity and a
docstring in one template (an optional summary line, then What it checks / Why it matters /
Fails / Use instead) that feeds `privacy-pages rules`, the rule reference pages, SARIF
``rules[]`` and the audit report.

Rules have a lifecycle, as ruff's do: ``since`` (the version that added it), ``deprecated``
(still run, with the reason and what replaces it) and ``removed`` (never run again; the
entry stays so that its ID is never given to another rule). A rule may take options
(yamllint's ``CONF``): each with a default, a one-line description and a parser that
refuses a bad value in one line; the project configuration sets them.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from privacy_pages.diagnostics import Severity

if TYPE_CHECKING:
    from privacy_pages.model import Controller

_ID = re.compile(r"^[A-Z]{2,6}[0-9]{2,3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it checks", "Why it matters", "Fails", "Use instead")
_SECTION_ALTERNATIVES = "|".join(re.escape(s) for s in DOC_SECTIONS)


@dataclass(frozen=True)
class Problem:
    """What a rule found: where (JSON pointer), what, and how to fix it."""

    pointer: str
    message: str
    hint: str = ""
    at_key: bool = False  # point at the key rather than the value (for missing children)


CheckFunction = Callable[..., Iterable[Problem]]
"""``check(model)``, or ``check(model, options)`` for a rule with options."""

FIRST_VERSION = "0.1.0"


@dataclass(frozen=True)
class RuleOption:
    """One option of a rule: its default, what it does, and how a configured value is read."""

    name: str
    default: Any
    doc: str
    parse: Callable[[Any], Any] = lambda value: value
    """Returns the value to use, or raises ValueError with a one-line reason."""


@dataclass(frozen=True)
class Lifecycle:
    """When a rule came, and whether it is on its way out or gone (its ID stays taken)."""

    since: str = FIRST_VERSION
    deprecated: str = ""  # version; the rule still runs
    removed: str = ""  # version; the rule never runs again
    reason: str = ""  # why, and what to use instead

    @property
    def status(self) -> str:
        return "removed" if self.removed else "deprecated" if self.deprecated else "stable"

    def describe(self) -> str:
        """One line for the reference: since, and deprecated/removed with the reason."""
        parts = [f"since {self.since}"]
        if self.deprecated:
            parts.append(f"deprecated in {self.deprecated}")
        if self.removed:
            parts.append(f"removed in {self.removed}")
        line = ", ".join(parts)
        return (
            f"{line}: {self.reason}" if self.reason and (self.deprecated or self.removed) else line
        )


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    family: str
    doc: str
    check: CheckFunction | None = None
    scope: str = "check"  # "check" (the controller file) or "audit" (the live site)
    article: str = ""  # the provision or guidance it enforces, for the precision table
    options: tuple[RuleOption, ...] = ()
    lifecycle: Lifecycle = Lifecycle()

    @property
    def removed(self) -> bool:
        return bool(self.lifecycle.removed)

    def option_defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}

    def read_options(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The rule's options with ``values`` read over the defaults; ValueError names the
        option and what is wrong (unknown names included)."""
        known = {option.name: option for option in self.options}
        result = self.option_defaults()
        for name, value in values.items():
            if name not in known:
                allowed = ", ".join(known) or "none"
                raise ValueError(f"{self.id} has no option {name!r} (its options: {allowed})")
            try:
                result[name] = known[name].parse(value)
            except (TypeError, ValueError) as error:
                raise ValueError(f"{self.id} option {name!r}: {error}") from None
        return result

    def run(self, model: Controller, options: Mapping[str, Any] | None = None) -> Iterable[Problem]:
        """The rule's problems in ``model`` (no check function, or removed: none)."""
        if self.check is None or self.removed:
            return ()
        if self.options:
            return self.check(model, {**self.option_defaults(), **(options or {})})
        return self.check(model)

    @property
    def summary(self) -> str:
        """The line before the template sections, else the first sentence of What it checks."""
        lead = self.doc.split("What it checks:", 1)[0].strip()
        if lead:
            return " ".join(lead.split())
        first = self.section("What it checks").split(". ")[0].rstrip(".")
        return first[:1].upper() + first[1:] + "."

    def sections(self) -> dict[str, str]:
        """The template sections, by heading."""
        return {title: self.section(title) for title in DOC_SECTIONS}

    def section(self, title: str) -> str:
        """One section of the docstring template, as a single paragraph."""
        match = re.search(
            rf"^{re.escape(title)}:\s*(.*?)(?=^(?:{_SECTION_ALTERNATIVES}):|\Z)",
            self.doc,
            re.DOTALL | re.MULTILINE,
        )
        return " ".join(match.group(1).split()) if match else ""


class RegistryError(ValueError):
    pass


class RemovedRule(KeyError):
    """A removed rule named explicitly (``--select``, ``--severity``, the configuration)."""

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule.id)
        self.rule = rule

    def __str__(self) -> str:
        life = self.rule.lifecycle
        reason = f": {life.reason}" if life.reason else ""
        return f"rule {self.rule.id} ({self.rule.name}) was removed in {life.removed}{reason}"


class RuleRegistry:
    """Holds every rule once; refuses duplicate IDs or names and undocumented rules."""

    def __init__(self) -> None:
        self._by_id: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}

    def add(self, rule: Rule) -> Rule:
        """Register ``rule``; refuses a malformed or taken ID or name, a docstring off the
        template, and a removed rule that still has a check."""
        if rule.removed and rule.check is not None:
            raise RegistryError(f"rule {rule.id} is removed: it keeps its ID, not its check")
        if not _ID.match(rule.id):
            raise RegistryError(f"rule ID {rule.id!r} must look like PN001 or PC01")
        if not _NAME.match(rule.name):
            raise RegistryError(f"rule name {rule.name!r} must be kebab-case")
        if rule.id in self._by_id or rule.name in self._by_name:
            raise RegistryError(f"rule {rule.id} {rule.name} is registered twice")
        missing = [s for s in DOC_SECTIONS if f"{s}:" not in rule.doc]
        if missing:
            raise RegistryError(f"rule {rule.id} docstring lacks: {', '.join(missing)}")
        self._by_id[rule.id] = rule
        self._by_name[rule.name] = rule
        return rule

    def define(
        self,
        id: str,
        name: str,
        severity: Severity,
        family: str,
        doc: str,
        article: str = "",
        *,
        scope: str = "check",
        lifecycle: Lifecycle = Lifecycle(),
    ) -> Rule:
        """A rule with no check function: raised by the loader, the schema or the audit, or
        a removed rule whose ID stays taken."""
        rule = Rule(
            id,
            name,
            severity,
            family,
            inspect.cleandoc(doc),
            scope=scope,
            article=article,
            lifecycle=lifecycle,
        )
        return self.add(rule)

    def rule(
        self,
        id: str,
        name: str,
        severity: Severity,
        family: str,
        article: str = "",
        *,
        options: tuple[RuleOption, ...] = (),
        lifecycle: Lifecycle = Lifecycle(),
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Decorator registering a check function; its docstring is the rule's documentation.

        ``article`` names what the rule enforces (an article, or the authority's guidance);
        a rule with ``options`` is called as ``check(model, options)``.
        """

        def register(check: CheckFunction) -> CheckFunction:
            doc = inspect.cleandoc(check.__doc__ or "")
            self.add(
                Rule(
                    id,
                    name,
                    severity,
                    family,
                    doc,
                    check,
                    article=article,
                    options=options,
                    lifecycle=lifecycle,
                )
            )
            return check

        return register

    def get(self, rule_id: str) -> Rule:
        """A rule by exact ID; KeyError names the known IDs."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            known = ", ".join(self._by_id)
            raise KeyError(f"unknown rule {rule_id!r}; known rules: {known}") from None

    def severities(self, overrides: Mapping[str, Severity] | None = None) -> dict[str, Severity]:
        """Each rule's severity, with the user's overrides (unknown IDs refused)."""
        result = {rule.id: rule.severity for rule in self}
        for rule_id, severity in (overrides or {}).items():
            self.get(rule_id)
            result[rule_id] = severity
        return result

    def resolve(self, key: str) -> Rule:
        """A rule by ID or name, or by ID prefix when ``key`` names a family (``PN``)."""
        rule = self._by_id.get(key.upper()) or self._by_name.get(key.lower())
        if rule is None:
            raise KeyError(key)
        return rule

    def select(self, keys: Iterable[str]) -> set[str]:
        """IDs named by ``keys``: IDs, names or ID prefixes (``PN``, ``CK0``). Unknown ->
        KeyError; a removed rule named by its ID or name -> `RemovedRule` (a KeyError)."""
        chosen: set[str] = set()
        for key in keys:
            key = key.strip()
            if not key:
                continue
            try:
                rule = self.resolve(key)
            except KeyError:
                pass
            else:
                if rule.removed:
                    raise RemovedRule(rule)
                chosen.add(rule.id)
                continue
            prefixed = {rid for rid in self._by_id if rid.startswith(key.upper())}
            if not prefixed:
                raise KeyError(key)
            chosen |= prefixed
        return chosen

    def scoped(self, scope: str) -> "RuleRegistry":
        """The rules of one tool (``check`` or ``audit``), as a registry of their own."""
        view = RuleRegistry()
        for rule in self:
            if rule.scope == scope:
                view.add(rule)
        return view

    def parse_severities(self, values: Iterable[str]) -> dict[str, Severity]:
        """``RULE=LEVEL`` items (comma-separated allowed; ID, name or prefix) to rule IDs.

        The one parser of ``--severity`` for check and audit; ``ValueError`` is one line.
        """
        result: dict[str, Severity] = {}
        for value in values:
            for item in filter(None, (part.strip() for part in value.split(","))):
                rule_key, sep, level = item.partition("=")
                if not sep:
                    example = rule_key.strip().upper() if rule_key.strip() in self else "ID"
                    raise ValueError(f"{item!r}: write RULE=LEVEL, e.g. {example}=warning")
                try:
                    severity = Severity.parse(level.strip())
                except ValueError as error:
                    raise ValueError(f"{item!r}: {error}") from None
                try:
                    chosen = self.select([rule_key])
                except RemovedRule as error:
                    raise ValueError(str(error)) from None
                except KeyError:
                    known = ", ".join(self._by_id)
                    raise ValueError(
                        f"unknown rule {rule_key.strip()!r} in {item!r}; known rules: {known}"
                    ) from None
                for rule_id in chosen:
                    result[rule_id] = severity
        return result

    def __iter__(self) -> Iterator[Rule]:
        """Rules in registration order: the order of the reference pages."""
        return iter(list(self._by_id.values()))

    def __contains__(self, key: str) -> bool:
        try:
            self.resolve(key)
        except KeyError:
            return False
        return True

    def __len__(self) -> int:
        return len(self._by_id)

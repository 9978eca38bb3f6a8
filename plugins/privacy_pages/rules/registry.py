"""Rule definitions and the explicit registry that holds them, for `check` and the audit.

A rule has a stable ID (never reused), a kebab-case name, a default severity and a
docstring in one template (an optional summary line, then What it checks / Why it matters /
Fails / Use instead) that feeds `privacy-pages rules`, the rule reference pages, SARIF
``rules[]`` and the audit report.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


CheckFunction = Callable[["Controller"], Iterable[Problem]]


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


class RuleRegistry:
    """Holds every rule once; refuses duplicate IDs or names and undocumented rules."""

    def __init__(self) -> None:
        self._by_id: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}

    def add(self, rule: Rule) -> Rule:
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
    ) -> Rule:
        """A rule with no check function: raised by the loader, the schema or the audit."""
        rule = Rule(id, name, severity, family, inspect.cleandoc(doc), scope=scope, article=article)
        return self.add(rule)

    def rule(
        self, id: str, name: str, severity: Severity, family: str, article: str = ""
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Decorator registering a check function; its docstring is the rule's documentation.

        ``article`` names what the rule enforces (an article, or the authority's guidance).
        """

        def register(check: CheckFunction) -> CheckFunction:
            doc = inspect.cleandoc(check.__doc__ or "")
            self.add(Rule(id, name, severity, family, doc, check, article=article))
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
        """IDs named by ``keys``: IDs, names or ID prefixes (``PN``, ``CK0``). Unknown -> KeyError."""
        chosen: set[str] = set()
        for key in keys:
            key = key.strip()
            if not key:
                continue
            try:
                chosen.add(self.resolve(key).id)
                continue
            except KeyError:
                pass
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

"""Rule definitions and the explicit registry that holds them, for `check` and the audit.

A rule has a stable ID (never reused), a kebab-case name, a default severity, the legal
sources it enforces (keys of `privacy_pages.rules.sources`, never free text) and a docstring
in one template (an optional summary line, then What it checks / Why it matters / Fails /
Use instead) that feeds `privacy-pages rules`, the rule reference pages, SARIF ``rules[]``
and the audit report.

A rule applies while one of its sources is in force (`Rule.applies_on`); a check function
that must know which version of the law applies takes the `Law` as an argument named ``law``.

Rules also have a lifecycle in the tool, as ruff's do: ``since`` (the version that added
it), ``deprecated`` (still run, with the reason and what replaces it) and ``removed``
(never run again; the entry stays so that its ID is never given to another rule). A rule
may take options (yamllint's ``CONF``): each with a default, a one-line description and a
parser that refuses a bad value in one line; the project configuration sets them, and the
check function receives them as ``options``.
"""

from __future__ import annotations

import datetime
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from privacy_pages.diagnostics import Severity
from privacy_pages.rules.sources import SOURCES, Citation, Law, SourceError, SourceKind

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
"""``check(view)``; ``check(view, law)`` for a rule whose answer depends on the date;
``options`` as well for a rule with options."""

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
    citations: tuple[Citation, ...] = ()  # the sources it enforces
    level_note: str = ""  # why the severity is below what its sources would allow
    takes_law: bool = False  # the check function reads the date (``check(view, law)``)
    aliases: tuple[str, ...] = ()  # former names, still resolved (suppressions, --select)
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

    @property
    def article(self) -> str:
        """The sources it enforces, as one line ("GDPR Art. 13(1)(a); LCEN art. 1-1")."""
        return "; ".join(c.label for c in self.citations)

    @property
    def ceiling(self) -> Severity | None:
        """The highest severity its sources allow; None for a rule citing none."""
        kinds = {c.source.kind for c in self.citations}
        return max((k.ceiling for k in kinds), default=None)

    @property
    def level_reason(self) -> str:
        """Why its default severity is what it is, in one phrase (the precision table)."""
        if self.level_note:
            return self.level_note
        wanted = {
            Severity.ERROR: SourceKind.BINDING,
            Severity.WARNING: SourceKind.GUIDANCE,
            Severity.INFO: SourceKind.GOOD_PRACTICE,
        }[self.severity]
        labels = list(dict.fromkeys(c.label for c in self.citations if c.source.kind is wanted))
        return f"{wanted.label}: {'; '.join(labels)}" if labels else ""

    @property
    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The first and last day any of its sources is in force (None: unbounded)."""
        sources = [c.source for c in self.citations]
        if not sources:
            return None, None
        starts = [s.in_force_from for s in sources]
        ends = [s.in_force_until for s in sources]
        start = None if None in starts else min(d for d in starts if d is not None)
        end = None if None in ends else max(d for d in ends if d is not None)
        return start, end

    def applies_on(self, day: datetime.date) -> bool:
        """Whether the law it enforces is in force on ``day``."""
        return any(c.source.in_force_on(day) for c in self.citations) or not self.citations

    def run(
        self, view: Controller, law: Law, options: Mapping[str, Any] | None = None
    ) -> Iterable[Problem]:
        """The check's problems for ``view`` under the law of ``law.as_of``, with the rule's
        ``options`` over its defaults (no check function, or removed: none)."""
        if self.check is None or self.removed:
            return ()
        arguments: tuple[Any, ...] = (view, law) if self.takes_law else (view,)
        if self.options:
            return self.check(*arguments, options={**self.option_defaults(), **(options or {})})
        return self.check(*arguments)

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


def _cite(rule_id: str, specs: Iterable[str]) -> tuple[Citation, ...]:
    try:
        return SOURCES.cite_all(specs)
    except SourceError as error:
        raise RegistryError(f"rule {rule_id}: {error}") from None


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
        names = (rule.name, *rule.aliases)
        if rule.id in self._by_id or any(n in self._by_name for n in names):
            raise RegistryError(f"rule {rule.id} {rule.name} is registered twice")
        for alias in rule.aliases:
            if not _NAME.match(alias):
                raise RegistryError(f"rule name {alias!r} must be kebab-case")
        missing = [s for s in DOC_SECTIONS if f"{s}:" not in rule.doc]
        if missing:
            raise RegistryError(f"rule {rule.id} docstring lacks: {', '.join(missing)}")
        self._by_id[rule.id] = rule
        for name in names:
            self._by_name[name] = rule
        return rule

    def define(
        self,
        id: str,
        name: str,
        severity: Severity,
        family: str,
        doc: str,
        sources: Iterable[str] = (),
        *,
        level_note: str = "",
        scope: str = "check",
        lifecycle: Lifecycle = Lifecycle(),
    ) -> Rule:
        """A rule with no check function: raised by the loader, the schema or the audit, or
        a removed rule whose ID stays taken."""
        citations = _cite(id, sources)
        doc = inspect.cleandoc(doc)
        return self.add(
            Rule(
                id,
                name,
                severity,
                family,
                doc,
                None,
                scope,
                citations,
                level_note,
                lifecycle=lifecycle,
            )
        )

    def rule(
        self,
        id: str,
        name: str,
        severity: Severity,
        family: str,
        sources: Iterable[str] = (),
        *,
        level_note: str = "",
        aliases: tuple[str, ...] = (),
        options: tuple[RuleOption, ...] = (),
        lifecycle: Lifecycle = Lifecycle(),
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Decorator registering a check function; its docstring is the rule's documentation.

        ``sources`` are the keys of the legal sources it enforces (``"gdpr-13#(1)(a)"``);
        ``level_note`` says why its severity is below what those sources allow; ``aliases``
        are former names, still accepted where a rule is named; a rule with ``options``
        receives them as ``options`` (its check function has a parameter of that name).
        """

        def register(check: CheckFunction) -> CheckFunction:
            doc = inspect.cleandoc(check.__doc__ or "")
            parameters = inspect.signature(check).parameters
            takes_law = "law" in parameters
            if bool(options) != ("options" in parameters):
                raise RegistryError(f"rule {id}: a rule with options takes them as `options`")
            citations = _cite(id, sources)
            self.add(
                Rule(
                    id,
                    name,
                    severity,
                    family,
                    doc,
                    check,
                    "check",
                    citations,
                    level_note,
                    takes_law,
                    aliases,
                    options,
                    lifecycle,
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

    def scoped(self, scope: str) -> RuleRegistry:
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

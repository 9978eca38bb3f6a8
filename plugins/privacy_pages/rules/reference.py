"""The rule reference, generated from the rules' own docstrings and the source registry."""

from __future__ import annotations

from collections.abc import Iterable

from privacy_pages.rules.registry import Rule, RuleRegistry
from privacy_pages.rules.sources import SOURCES, Citation, LegalSource

FAMILIES = {
    "YAML": "Reading the file",
    "SCHEMA": "The schema contract",
    "PN": "Privacy notice (GDPR Art. 12-14)",
    "LN": "Legal notice (LCEN art. 1-1, consumer law)",
    "CK": "Cookies (ePrivacy Art. 5(3), CNIL 2020)",
    "CS": "Consistency",
}
SECTIONS = ("What it checks", "Why it matters", "Fails", "Use instead")
# What a default severity means, so that an agency can trust an error to be a real gap.
LEVELS = {
    "error": "a binding text requires it",
    "warning": "authority guidance, or a duty that depends on facts outside the file",
    "info": "good practice, not required",
}


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def citation_line(citation: Citation) -> str:
    """ "C. consom. L.223-2 (binding law, in force until 2026-08-10; reviewed 2026-12-06)"."""
    source = citation.source
    facts = [source.kind.label, *([source.period] if source.period else [])]
    return f"{citation.label} ({', '.join(facts)}; reviewed {source.reviewed.isoformat()})"


def sources_line(rule: Rule) -> str:
    return "; ".join(citation_line(c) for c in rule.citations)


def citing(registry: Iterable[Rule], key: str) -> list[str]:
    """IDs of the rules citing source ``key``."""
    return [r.id for r in registry if any(c.key == key for c in r.citations)]


def _linked(citation: Citation) -> str:
    return f"[{_md(citation.label)}]({citation.source.url})"


def precision_table(registry: RuleRegistry) -> list[str]:
    """Per lint rule: the sources it enforces, its level, why the level is what it is, and
    how right it was on the corpus of real documents (tests/data/corpus)."""
    from privacy_pages.rules.measure import load_record

    record = load_record()
    lines = [
        "## Precision: what each rule enforces, how right it is",
        "",
        (
            "Every lint rule, the legal sources it enforces (from the registry in "
            "[Legal sources](#legal-sources)) and its default level: "
            + "; ".join(f"**{k}** = {v}" for k, v in LEVELS.items())
            + ". A rule whose sources would allow a higher level says why it is lower."
        ),
        "",
        (
            f"*Measured* is the rule's precision on {record['documents']} real French documents "
            "(tests/data/corpus): the share of its findings a lawyer expected, with how many of "
            "the expected ones it found (recall); `python bench/corpus_bench.py` measures it "
            "again. A rule with no finding there shows a dash."
        ),
        "",
        "| ID | name | sources | level | why this level | measured |",
        "|---|---|---|---|---|---|",
    ]
    for rule in registry:
        if not rule.citations:
            continue
        sources = "; ".join(_linked(c) for c in rule.citations)
        lines.append(
            f"| [{rule.id}](#{rule.id.lower()}) | `{rule.name}` | {sources} "
            f"| {rule.severity.label} | {_md(rule.level_reason)} "
            f"| {_measured(record['rules'].get(rule.id))} |"
        )
    lines.append("")
    return lines


def sources_table(sources: Iterable[LegalSource], registry: RuleRegistry) -> list[str]:
    """The registry of legal sources: what each is, how binding, when in force, when read."""
    lines = [
        "## Legal sources",
        "",
        (
            "The registry every rule, page sentence and audit finding cites "
            "(`plugins/privacy_pages/rules/sources.yaml`; `privacy-pages rules --sources`). "
            "A source read more than a year ago fails the test suite until someone reads it "
            "again and moves its review date."
        ),
        "",
        "| key | source | kind | in force | reviewed | cited by |",
        "|---|---|---|---|---|---|",
    ]
    for source in sources:
        lines.append(
            f"| `{source.key}` | [{_md(source.label)}]({source.url}) — {_md(source.version)} "
            f"| {source.kind.label} | {source.period or 'always'} | "
            f"{source.reviewed.isoformat()} | {', '.join(citing(registry, source.key)) or '—'} |"
        )
    lines.append("")
    return lines


def _measured(figures: dict[str, int] | None) -> str:
    """ "100 % of 12 (recall 12/12)", or a dash when the rule found and expected nothing."""
    if not figures or not (figures["found"] or figures["expected"]):
        return "—"
    found, true, expected = figures["found"], figures["true"], figures["expected"]
    precision = f"{round(100 * true / found)} % of {found}" if found else "no finding"
    return precision + (f" (recall {true}/{expected})" if expected else "")


def markdown_reference(registry: RuleRegistry, title: str = "Rule reference") -> str:
    lines = [
        f"# {title}",
        "",
        "Generated by `privacy-pages rules --format markdown` from the rules themselves.",
        'Suppress a finding in the controller file with `suppressions: [{rule: ID, reason: "..."}]`;',
        (
            "change a severity with `--severity ID=LEVEL`; check against the law of another "
            "day with `--as-of YYYY-MM-DD`. The audit's rules are in "
            "[audit-rules.md](audit-rules.md)."
        ),
        "",
    ]
    from privacy_pages.rules.measure import load_record

    record = load_record()
    rules = list(registry)
    lines += precision_table(registry)
    for family, heading in FAMILIES.items():
        members = [r for r in rules if r.family == family]
        if not members:
            continue
        lines += [f"## {heading}", "", "| ID | name | severity |", "|---|---|---|"]
        lines += [
            f"| [{r.id}](#{r.id.lower()}) | `{r.name}` | {r.severity.label} |" for r in members
        ]
        lines.append("")
        for rule in members:
            lines += [
                f"### {rule.id}",
                "",
                f"`{rule.name}` · default severity **{rule.severity.label}**"
                + (f" · enforces {rule.article}" if rule.article else ""),
                "",
            ]
            lines += [f"**{s}.** {rule.section(s)}" + "\n" for s in SECTIONS]
            if rule.citations:
                lines += [f"**Sources.** {sources_line(rule)}.", ""]
            measured = _measured(record["rules"].get(rule.id))
            if measured != "—":
                lines += [f"**Measured on the corpus.** {measured}.", ""]
    lines += sources_table(SOURCES, registry)
    return "\n".join(lines).rstrip() + "\n"


def text_reference(rules: list[Rule]) -> str:
    out = []
    for rule in rules:
        out.append(f"{rule.id}  {rule.name}  [{rule.severity.label}]")
        out += [f"    {s}: {rule.section(s)}" for s in SECTIONS]
        if rule.citations:
            out.append(f"    Sources: {sources_line(rule)}")
            out.append(f"    Level: {rule.severity.label}, {rule.level_reason}")
        out.append("")
    return "\n".join(out)


def text_sources(sources: Iterable[LegalSource], registry: RuleRegistry) -> str:
    out = []
    for source in sources:
        out.append(f"{source.key}  {source.label}  [{source.kind.label}]")
        out.append(f"    {source.text}; {source.version}")
        out.append(
            f"    {source.period or 'in force'}; reviewed {source.reviewed.isoformat()}; "
            f"{source.url}"
        )
        cited = citing(registry, source.key)
        if cited:
            out.append(f"    cited by: {', '.join(cited)}")
        if source.note:
            out.append(f"    note: {source.note}")
        out.append("")
    return "\n".join(out)


def _dated(source: LegalSource) -> dict[str, object]:
    """What JSON readers need to weigh a source: its kind, its dates, where to read it."""
    return {
        "kind": source.kind.value,
        "in_force_from": source.in_force_from.isoformat() if source.in_force_from else None,
        "in_force_until": source.in_force_until.isoformat() if source.in_force_until else None,
        "url": source.url,
        "reviewed": source.reviewed.isoformat(),
    }


def source_json(source: LegalSource, registry: RuleRegistry) -> dict[str, object]:
    return {
        "key": source.key,
        "label": source.label,
        "text": source.text,
        "article": source.article,
        "version": source.version,
        **_dated(source),
        "cited_by": citing(registry, source.key),
    }


def citation_json(citation: Citation) -> dict[str, object]:
    return {"key": citation.key, "label": citation.label, **_dated(citation.source)}

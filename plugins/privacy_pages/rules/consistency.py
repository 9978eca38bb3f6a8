"""Consistency of a controller file with itself: references, identifiers, translations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from privacy_pages.diagnostics import Severity
from privacy_pages.model import Controller
from privacy_pages.model.sections import PAGE_SECTIONS
from privacy_pages.model.text import missing_languages
from privacy_pages.rules import REGISTRY
from privacy_pages.rules.registry import Problem

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ID_LISTS = (
    ("processing",),
    ("recipients",),
    ("sections",),
    ("extra_sections",),
    ("cookies", "categories"),
)


def _reference_fields(view: Controller) -> Iterator[tuple[str, str, str]]:
    """(pointer, referenced id, kind) for every reference in the file."""
    for activity in view.activities:
        for index, ref in enumerate(activity.get("recipients") or []):
            yield activity.at(f"recipients/{index}"), ref, "recipients"
        if activity.get("section"):
            yield activity.at("section"), activity.get("section"), "sections"
    for dest in view.items("transfers", "destinations"):
        for index, ref in enumerate(dest.get("recipients") or []):
            yield dest.at(f"recipients/{index}"), ref, "recipients"
    for tracker in view.trackers:
        if tracker.get("category"):
            yield tracker.at("category"), tracker.get("category"), "cookies/categories"
        if tracker.get("recipient"):
            yield tracker.at("recipient"), tracker.get("recipient"), "recipients"
    for rule in view.general_retention:
        for index, ref in enumerate(rule.activity_ids):
            yield rule.at(f"activities/{index}"), ref, "processing"


@REGISTRY.rule("CS001", "undefined-reference", E, "CS")
def undefined_reference(view: Controller) -> Iterator[Problem]:
    """
    What it checks: every id a file refers to (recipient, audience, cookie category, the
    activities a general retention rule covers) is defined in the same file.
    Why it matters: a dangling reference silently drops a recipient or a category from the
    published pages.
    Fails: `recipients: [payment]` on an activity with no recipient `payment` defined.
    Use instead: define `{id: payment, name: ...}` in `recipients`, or fix the typo.
    """
    defined = {
        "recipients": set(view.recipients),
        "sections": {s.get("id") for s in view.items("sections")},
        "cookies/categories": set(view.categories),
        "processing": {a.id for a in view.activities},
    }
    for pointer, ref, kind in _reference_fields(view):
        if ref not in defined[kind]:
            known = ", ".join(sorted(map(str, defined[kind]))) or "none defined"
            yield Problem(pointer, f"'{ref}' is not defined in {kind}", f"defined: {known}")


@REGISTRY.rule("CS002", "duplicate-id", E, "CS")
def duplicate_id(view: Controller) -> Iterator[Problem]:
    """
    What it checks: ids are unique within each list.
    Why it matters: references and page anchors would point to the wrong entry.
    Fails: two processing activities with `id: orders`.
    Use instead: distinct ids.
    """
    for path in ID_LISTS:
        items = view.items(*path)
        counts = Counter(item.get("id") for item in items)
        for item in items:
            if item.get("id") is not None and counts[item.get("id")] > 1:
                counts[item.get("id")] = 0  # report the later ones only
                continue
            if counts.get(item.get("id")) == 0:
                yield Problem(
                    item.at("id"),
                    f"id '{item.get('id')}' is used twice in " + "/".join(path),
                    "give each entry its own id",
                )


def _translation_problems(view: Controller, keep: Callable[[str], bool]) -> Iterator[Problem]:
    """The translation gaps in the languages ``keep`` selects, as CS003 and CS011 word them.

    A language with no text at all in the file is one finding on its ``languages`` entry;
    the other gaps are one finding per prose field.
    """
    languages = view.languages
    if len(languages) < 2:
        return
    proper_names = {f"{r.pointer}/name" for r in view.recipients.values() if not r.get("category")}
    gaps: list[tuple[str, list[str]]] = []
    for pointer, value in view.texts():
        if pointer in proper_names or (isinstance(value, str) and value in view.proper_names):
            continue  # a company's or a brand's name is the same in every language
        gaps.append((pointer, missing_languages(value, languages)))
    untranslated = [
        lang for lang in languages[1:] if gaps and all(lang in missing for _, missing in gaps)
    ]
    for lang in untranslated:
        if keep(lang):
            yield Problem(
                f"/languages/{languages.index(lang)}",
                f"no {lang} text in the file: its {len(gaps)} prose fields show the "
                f"{languages[0]} text on the {lang} pages",
                f"translate the prose into {lang}, or remove {lang} from languages",
            )
    for pointer, missing in gaps:
        missing = [lang for lang in missing if lang not in untranslated and keep(lang)]
        if missing:
            yield Problem(
                pointer,
                "no " + ", ".join(missing) + " text; the page shows the "
                f"{languages[0]} text instead",
                "give a map {" + ", ".join(f"{lang}: ..." for lang in languages) + "}",
            )


def _french_is_main(view: Controller, lang: str) -> bool:
    """French, for a French controller: the language its public must be served in."""
    return lang == "fr" and view.is_french


@REGISTRY.rule(
    "CS003",
    "missing-translation",
    W,
    "CS",
    ("gdpr-12#(1)",),
    level_note="the page still shows the text, marked, in the controller's own language; "
    "whether readers of that page understand it is a fact outside the file",
)
def missing_translation(view: Controller) -> Iterator[Problem]:
    """
    What it checks: every prose field has text in every language the controller declares.
    Why it matters: GDPR Art. 12(1): information in clear language the audience
    understands; a missing translation falls back to the default language on the page.
    A French text missing for a French controller is CS011's error instead.
    Names of recipients (not categories) and prose equal to an entry of `proper_names`
    (brands, products) are the same in every language and never reported.
    A language with no text at all in the file (a translation not started) is one finding
    on its entry in `languages`, not one per field.
    Fails: `languages: [fr, en]` and `purposes: ["Livrer votre commande"]` beside
    translated fields.
    Use instead: `{fr: "Livrer votre commande", en: "Deliver your order"}`, or
    `proper_names: [Shopify]` for a brand that stays as it is.
    """
    yield from _translation_problems(view, lambda lang: not _french_is_main(view, lang))


@REGISTRY.rule("CS011", "french-text-missing", E, "CS", ("toubon-2", "gdpr-12#(1)"))
def french_text_missing(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a French controller that publishes French pages has French text for
    every prose field.
    Why it matters: loi n° 94-665 (art. 2) makes French mandatory in the offer and
    presentation of goods and services to the French public, and GDPR Art. 12(1) asks for
    information in language the audience understands: a French page showing English text
    fails both for the controller's main public.
    Fails: a controller with `address: {country: FR}`, `languages: [en, fr]` and
    `purposes: ["Deliver your order"]`.
    Use instead: `{en: "Deliver your order", fr: "Livrer votre commande"}`.
    """
    yield from _translation_problems(view, lambda lang: _french_is_main(view, lang))


@REGISTRY.rule("CS004", "undeclared-language", W, "CS")
def undeclared_language(view: Controller) -> Iterator[Problem]:
    """
    What it checks: a prose map only uses languages listed in `languages`.
    Why it matters: text in an undeclared language is never published.
    Fails: `languages: [fr]` and `title: {fr: ..., de: ...}`.
    Use instead: add the language to `languages`, or remove the text.
    """
    declared = set(view.languages)
    for pointer, value in view.texts():
        if isinstance(value, dict):
            extra = [lang for lang in value if lang not in declared]
            if extra:
                yield Problem(
                    pointer,
                    "text in undeclared language " + ", ".join(extra),
                    "add it to languages: or remove it",
                )


@REGISTRY.rule("CS005", "unused-recipient", I, "CS")
def unused_recipient(view: Controller) -> Iterator[Problem]:
    """
    What it checks: each recipient is referenced by an activity, a transfer or a tracker.
    Why it matters: readers cannot tell which processing sends data to an unreferenced
    recipient (GDPR Art. 13(1)(e) ties recipients to processing).
    Fails: `recipients: [{id: crm, ...}]` that no activity lists.
    Use instead: add its id to the `recipients` of the activities that use it.
    """
    used = {ref for _, ref, kind in _reference_fields(view) if kind == "recipients"}
    for rid, recipient in view.recipients.items():
        if rid not in used:
            yield Problem(
                recipient.at("id"),
                f"recipient '{rid}' is not used by any activity",
                "reference it from processing[].recipients",
            )


REGISTRY.define(
    "CS006",
    "unknown-suppressed-rule",
    E,
    "CS",
    """
    What it checks: a suppression names a rule that exists, of `check` or of the audit.
    Why it matters: a misspelt rule ID suppresses nothing while looking as if it did.
    Fails: `suppressions: [{rule: PN999, reason: ...}]`.
    Use instead: an ID or name from `privacy-pages rules`.
    """,
)
REGISTRY.define(
    "CS007",
    "unused-suppression",
    W,
    "CS",
    """
    What it checks: every suppression still matches a finding.
    Why it matters: a stale suppression would hide a future problem without anyone noticing.
    Fails: a suppression of PN004 in a file where every activity now has a legal basis.
    Use instead: delete the suppression.
    """,
)
REGISTRY.define(
    "CS008",
    "duplicate-controller-id",
    E,
    "CS",
    """
    What it checks: no two controller files of one run share an `id`.
    Why it matters: the id is the folder of the controller's pages; two files with one id
    would publish one over the other.
    Fails: `content/shop.yaml` and `content/shop-copy.yaml` both with `id: shop`.
    Use instead: give each controller its own id (the later file in path order is reported).
    """,
)


REGISTRY.define(
    "CS013",
    "unsuppressible-rule",
    E,
    "CS",
    """
    What it checks: no suppression names a YAML or SCHEMA rule.
    Why it matters: YAML and SCHEMA findings say the file is not in the model's shape; the
    id, the languages and every value the pages and folders are built from rely on it, so
    a file may not declare its own shape acceptable (the findings stay reported).
    Fails: `suppressions: [{rule: SCHEMA001, reason: ...}]`.
    Use instead: fix what the YAML or SCHEMA diagnostic names, then delete the suppression.
    """,
)


@REGISTRY.rule("CS009", "unknown-section-position", W, "CS")
def unknown_section_position(view: Controller) -> Iterator[Problem]:
    """
    What it checks: an extra section's `position` names a section of its page (an anchor of
    the generated page or another extra section's id).
    Why it matters: a section placed next to a heading that does not exist ends the page
    instead, away from where the author put it.
    Fails: `position: {before: definitions}` on the privacy page, which has no such section.
    Use instead: an anchor listed in the schema's `position` description, or an extra
    section's id.
    """
    sections = view.items("extra_sections")
    for section in sections:
        position = section.get("position")
        if not isinstance(position, dict) or not position:
            continue
        page = section.get("page") or "privacy"
        ((side, target),) = position.items()
        extras = {s.get("id") for s in sections if (s.get("page") or "privacy") == page}
        if target in PAGE_SECTIONS.get(page, ()) or (
            target in extras and target != section.get("id")
        ):
            continue
        yield Problem(
            section.at(f"position/{side}"),
            f"extra section '{section.get('id')}' is placed {side} '{target}', "
            f"which is not a section of the {page} page",
            "use one of: " + ", ".join(PAGE_SECTIONS.get(page, ())),
        )

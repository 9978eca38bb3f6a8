"""DC01-DC06: the declared cookie list against what every phase saw (undeclared, declared but
never seen, undeclared third parties, categories missing, contradictory or of another kind)."""

from __future__ import annotations

from typing import Any

from privacy_audit.analyze.context import (
    Context,
    collect_seen,
    kind_label,
    ordered_phases,
    phase_names,
    storage_label,
    subject_kind,
)
from privacy_audit.analyze.declared import STORAGE_TYPES, DeclaredTracker, known_entry
from privacy_audit.analyze.tracking import declaration_hides_consent
from privacy_audit.findings import Subject
from privacy_audit.i18n import Text, text
from privacy_audit.observations import STORAGE_KINDS, phase_observed
from privacy_pages.diagnostics import Severity
from privacy_pages.model.knowledge import KnownCookie

_SAME_KIND = {"social_media": "advertising"}
_VAGUE_KINDS = ("functional", "other")


def check_declared(context: Context) -> None:
    declaration = context.declaration
    matched: set[int] = set()
    for (kind, name, domain), seen in collect_seen(context).items():
        tracker = declaration.find(name, kind)
        if tracker is not None:
            matched.add(tracker.index)
            continue
        known = known_entry(context.knowledge, name, kind)
        by_provider = [t for t in declaration.trackers if t.covers_vendor(known and known.vendor)]
        if by_provider:  # declared by its provider alone ("we use Google Analytics")
            matched.add(by_provider[0].index)
            continue
        known_as = (
            text("message.known_as", vendor=known.vendor, kind=kind_label(known)) if known else ""
        )
        necessary = known is not None and (
            known.consent_manager or known.category == "strictly_necessary"
        )
        context.add(
            "DC01",
            seen.first.page_url,
            text(
                "message.undeclared_cookie" if kind == "cookie" else "message.undeclared_storage",
                storage=storage_label(kind),
                name=name,
                domain=domain,
                phases=phase_names(seen.phases),
                known=known_as,
            ),
            phase=seen.phases[0],
            phases=seen.phases,
            subject=Subject(kind, name, domain),  # type: ignore[arg-type]
            vendor=known.vendor if known else None,
            hint=text("hint.undeclared"),
            at_most=Severity.INFO if necessary else None,
        )
    # Declared but never seen says something only about a site that was observed whole.
    observed = bool(context.observations.phases) and all(
        phase_observed(p) for p in context.observations.phases
    )
    for tracker in declaration.trackers:
        if (
            observed
            and tracker.type in STORAGE_TYPES
            and tracker.index not in matched
            and tracker.name
        ):
            pattern = f"'{tracker.name}*'" if tracker.match == "prefix" else f"'{tracker.name}'"
            context.add(
                "DC02",
                context.target,
                text(
                    "message.unseen_cookie"
                    if tracker.type == "cookie"
                    else "message.unseen_storage",
                    storage=storage_label(tracker.type),
                    pattern=pattern,
                ),
                phase=None,
                subject=Subject(tracker.type, tracker.name, tracker.domain),  # type: ignore[arg-type]
                hint=text("hint.unseen"),
                pointer=tracker.pointer,
            )
        _check_classification(context, tracker)
    _check_contradictions(context)


def _check_classification(context: Context, tracker: DeclaredTracker) -> None:
    subject = Subject(subject_kind(tracker.type), tracker.name)  # type: ignore[arg-type]
    if tracker.category_id is None:
        context.add(
            "DC04",
            context.target,
            text("message.no_category", name=tracker.name),
            phase=None,
            subject=subject,
            hint=text("hint.no_category"),
            pointer=tracker.pointer,
        )
        return
    if tracker.category is None:
        context.add(
            "DC04",
            context.target,
            text("message.unknown_category", name=tracker.name, category=tracker.category_id),
            phase=None,
            subject=subject,
            hint=text("hint.unknown_category"),
            pointer=tracker.pointer + "/category",
        )
        return
    lookup_kind = tracker.type if tracker.type in STORAGE_KINDS else "cookie"
    known = known_entry(context.knowledge, tracker.name, lookup_kind)
    if known is None:
        return
    known_kind = "strictly_necessary" if known.consent_manager else known.category
    declared_kind = tracker.category.kind
    vague = declared_kind is None or declared_kind in _VAGUE_KINDS or known_kind in _VAGUE_KINDS
    if vague or _SAME_KIND.get(declared_kind, declared_kind) == _SAME_KIND.get(
        known_kind, known_kind
    ):
        if declaration_hides_consent(tracker, known):
            message = _classification_text("message.hides_consent", tracker, known)
            hint = text("hint.hides_consent")
            _add_dc06(context, tracker, known, message, hint, tracker.pointer)
        return
    message = _classification_text("message.wrong_kind", tracker, known, declared=declared_kind)
    hint = text("hint.wrong_kind", kind=known_kind)
    _add_dc06(context, tracker, known, message, hint, tracker.pointer + "/category")


def _classification_text(
    key: str, tracker: DeclaredTracker, known: KnownCookie, **more: object
) -> Text:
    return text(
        key,
        name=tracker.name,
        **more,
        category=tracker.category_id,
        vendor=known.vendor,
        kind=kind_label(known),
    )


def _add_dc06(
    context: Context,
    tracker: DeclaredTracker,
    known: KnownCookie,
    message: Text,
    hint: Text,
    pointer: str,
) -> None:
    subject = Subject(subject_kind(tracker.type), tracker.name)  # type: ignore[arg-type]
    context.add(
        "DC06",
        context.target,
        message,
        phase=None,
        subject=subject,
        vendor=known.vendor,
        hint=hint,
        pointer=pointer,
    )


def _check_contradictions(context: Context) -> None:
    groups: dict[tuple[str, str, str], list[DeclaredTracker]] = {}
    for tracker in context.declaration.trackers:
        if tracker.name:  # trackers declared by provider alone share no name
            groups.setdefault((tracker.name, tracker.match, tracker.type), []).append(tracker)
    for (name, _, kind), trackers in groups.items():
        categories = sorted({t.category_id for t in trackers if t.category_id})
        if len(categories) > 1:
            context.add(
                "DC05",
                context.target,
                text(
                    "message.contradictory",
                    name=name,
                    n=len(categories),
                    categories=", ".join(categories),
                ),
                phase=None,
                subject=Subject(subject_kind(kind), name),  # type: ignore[arg-type]
                hint=text("hint.contradictory"),
                pointer=trackers[1].pointer + "/category",
            )


def check_third_parties(context: Context) -> None:
    """DC03, per registrable domain, over the hosts no declared recipient covers."""
    groups: dict[str, dict[str, Any]] = {}
    for phase in ordered_phases(context):
        hosts: list[tuple[str, str, str]] = [
            (r.host, r.registrable_domain, r.page_url) for r in phase.requests if r.party == "third"
        ]
        hosts += [
            (c.domain.lstrip("."), c.registrable_domain, c.page_url)
            for c in phase.cookies
            if c.party == "third"
        ]
        for host, domain, page_url in sorted(hosts):
            if context.declaration.recipient_for_host(host, domain) is not None:
                continue
            group = groups.setdefault(
                domain or host, {"hosts": set(), "phases": [], "url": page_url}
            )
            group["hosts"].add(host)
            if phase.phase not in group["phases"]:
                group["phases"].append(phase.phase)
    for domain, group in groups.items():
        known = context.knowledge.host(domain)
        names = sorted(group["hosts"])
        shown: str | Text = ", ".join(names[:5])
        if len(names) > 5:
            shown = text("message.and_more", hosts=shown, n=len(names) - 5)
        context.add(
            "DC03",
            group["url"],
            text(
                "message.third_party_vendor" if known else "message.third_party",
                domain=domain,
                vendor=known.vendor if known else "",
                hosts=shown,
                phases=phase_names(group["phases"]),
            ),
            phase=group["phases"][0],
            phases=group["phases"],
            subject=Subject("host", domain),
            vendor=known.vendor if known else None,
            hint=text("hint.third_party", domain=domain),
        )

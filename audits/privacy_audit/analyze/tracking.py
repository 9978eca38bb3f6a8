"""Whether what a crawl saw needs consent: the knowledge base over the declaration, so a wrong
declaration never hides a breach; the vendor behind a host; why, in words."""

from __future__ import annotations

from privacy_audit.analyze.context import Context, kind_label, ordered_phases, sorted_cookies
from privacy_audit.analyze.declared import DeclaredTracker, known_entry, needs_consent
from privacy_audit.i18n import Text, text
from privacy_audit.observations import RequestObservation
from privacy_pages.model.knowledge import KnownCookie


def consent_reason(
    context: Context, name: str, kind: str
) -> tuple[DeclaredTracker | None, KnownCookie | None] | None:
    """(declaration, known entry) when the name needs consent, else None."""
    tracker = context.declaration.find(name, kind)
    known = known_entry(context.knowledge, name, kind)
    if consent_required(tracker, known):
        return tracker, known
    return None


def _known_needs_consent(known: KnownCookie | None) -> bool:
    return (
        known is not None
        and not known.consent_manager
        and known.category in ("analytics", "advertising", "social_media")
    )


def declaration_hides_consent(tracker: DeclaredTracker | None, known: KnownCookie | None) -> bool:
    """The declaration says no consent where the knowledge base knows a consent tracker.

    The CNIL's exempt audience measurement is the one declaration kept against the
    knowledge base, for analytics only: its conditions cannot be seen from outside.
    """
    if tracker is None or tracker.needs_consent is not False or not _known_needs_consent(known):
        return False
    assert known is not None
    return not (tracker.exempt_audience_measurement and known.category == "analytics")


def consent_required(tracker: DeclaredTracker | None, known: KnownCookie | None) -> bool | None:
    """The knowledge base over the declaration: a wrong declaration never hides a breach."""
    if declaration_hides_consent(tracker, known):
        return True
    return needs_consent(tracker, known)


def tracking_host(context: Context, request: RequestObservation) -> str | Text | None:
    """The vendor behind a third-party request to a known or declared tracking host."""
    if request.party != "third":
        return None
    declared = context.declaration.recipient_for_host(request.host, request.registrable_domain)
    if declared is not None and context.declaration.only_exempt(declared):
        return None
    known = context.knowledge.host(request.host)
    if known is not None and known.category != "strictly_necessary":
        return known.vendor
    for host, name in context.declaration.consent_hosts().items():
        if request.host == host or request.host.endswith("." + host):
            return name
        if request.registrable_domain == host:
            return name
    return _cookie_setting_domains(context).get(request.registrable_domain)


def _cookie_setting_domains(context: Context) -> dict[str, Text]:
    """Third-party registrable domains seen setting a cookie that needs consent, in any phase.

    Such a domain is a tracker by its behaviour in this very crawl, even when neither the
    knowledge base nor the declaration names its host.
    """
    if context.tracking_domains is None:
        found: dict[str, Text] = {}
        for phase in ordered_phases(context):
            for cookie in sorted_cookies(phase):
                if cookie.party != "third" or cookie.registrable_domain in found:
                    continue
                reason = consent_reason(context, cookie.name, "cookie")
                if reason:
                    vendor = vendor_of(*reason)
                    found[cookie.registrable_domain] = (
                        text("message.vendor_sets_cookie", vendor=vendor, name=cookie.name)
                        if vendor
                        else text("message.sets_cookie", name=cookie.name)
                    )
        context.tracking_domains = found
    return context.tracking_domains


def describe(tracker: DeclaredTracker | None, known: KnownCookie | None) -> Text:
    if declaration_hides_consent(tracker, known):
        assert known is not None and tracker is not None
        return text(
            "message.why_hidden",
            vendor=known.vendor,
            kind=kind_label(known),
            category=tracker.category_id,
        )
    if tracker is not None and tracker.category is not None:
        return text("message.why_declared", category=tracker.category.id)
    if known is not None:
        return text("message.why_known", vendor=known.vendor, kind=kind_label(known))
    return text("message.why_needs_consent")


def vendor_of(tracker: DeclaredTracker | None, known: KnownCookie | None) -> str | None:
    if tracker is not None and tracker.provider:
        return tracker.provider
    return known.vendor if known else None

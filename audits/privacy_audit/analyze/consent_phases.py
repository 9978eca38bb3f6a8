"""PC01-PC03 before any choice, RJ01-RJ02 after the refusal (only when it was really
clicked): cookies, storage and requests of trackers that need consent."""

from __future__ import annotations

from privacy_audit.analyze.consent_mode import consent_signals
from privacy_audit.analyze.context import Context, sorted_cookies, sorted_storage, storage_label
from privacy_audit.analyze.tracking import consent_reason, describe, tracking_host, vendor_of
from privacy_audit.findings import Subject
from privacy_audit.i18n import Text, text
from privacy_audit.observations import PhaseObservations, RequestObservation


def check_consent(context: Context) -> None:
    before = context.phase("before-consent")
    if before is not None:
        when = text("message.before_choice")
        _consent_findings(context, before, "PC01", "PC02", "PC03", when)
    reject = context.phase("after-reject")
    if reject is not None and _refusal_clicked(reject):
        when = text("message.after_refusal")
        _consent_findings(context, reject, "RJ01", "RJ01", "RJ02", when)


def _refusal_clicked(phase: PhaseObservations) -> bool:
    banner = phase.banner
    return banner is not None and banner.action == "reject" and banner.succeeded


def _consent_findings(
    context: Context,
    phase: PhaseObservations,
    cookie_rule: str,
    storage_rule: str,
    request_rule: str,
    when: Text,
) -> None:
    reported: set[tuple[str, str, str]] = set()
    for cookie in sorted_cookies(phase):
        if ("cookie", cookie.name, cookie.domain) in reported:
            continue
        reason = consent_reason(context, cookie.name, "cookie")
        if reason:
            reported.add(("cookie", cookie.name, cookie.domain))
            tracker, known = reason
            context.add(
                cookie_rule,
                cookie.page_url,
                text(
                    "message.consent_cookie",
                    name=cookie.name,
                    domain=cookie.domain,
                    why=describe(tracker, known),
                    when=when,
                ),
                phase=phase.phase,
                subject=Subject("cookie", cookie.name, cookie.domain),
                vendor=vendor_of(tracker, known),
                hint=text("hint.consent_cookie"),
            )
    for item in sorted_storage(phase):
        if (item.kind, item.key, item.origin) in reported:
            continue
        reason = consent_reason(context, item.key, item.kind)
        if reason:
            reported.add((item.kind, item.key, item.origin))
            tracker, known = reason
            context.add(
                storage_rule,
                item.page_url,
                text(
                    "message.consent_storage",
                    storage=storage_label(item.kind),
                    name=item.key,
                    domain=item.origin,
                    why=describe(tracker, known),
                    when=when,
                ),
                phase=phase.phase,
                subject=Subject(item.kind, item.key, item.origin),
                vendor=vendor_of(tracker, known),
                hint=text("hint.consent_storage"),
            )
    by_host: dict[str, tuple[RequestObservation, int, dict[str, list[str]]]] = {}
    for request in sorted(phase.requests, key=lambda r: (r.host, r.page_url, r.url)):
        first, count, params = by_host.get(request.host, (request, 0, {}))
        for name, values in request.consent_params.items():
            params[name] = sorted({*params.get(name, []), *values})
        by_host[request.host] = (first, count + request.count, params)
    for host, (request, count, params) in by_host.items():
        vendor = tracking_host(context, request)
        if vendor is None:
            continue
        signals, details = consent_signals(params)
        requests = text("message.consent_requests", n=count, host=host, vendor=vendor, when=when)
        context.add(
            request_rule,
            request.page_url,
            text("message.with_signals", requests=requests, signals=signals),
            phase=phase.phase,
            subject=Subject("host", host),
            vendor=str(vendor),
            hint=text("hint.consent_requests"),
            details=details,
        )

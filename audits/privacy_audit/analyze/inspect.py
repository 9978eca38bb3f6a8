"""Findings from observations and the declared model: a pure function, no browser, no I/O.

Phase semantics: PC rules read `before-consent`, RJ rules `after-reject` (only when the
refusal was really clicked), DC and RT rules every phase at once (one finding per cookie,
naming the phases it was seen in), BN rules the banner results, TX and LK the pages.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from privacy_audit import PHASES
from privacy_audit.analyze.declared import (
    STORAGE_TYPES,
    Declaration,
    DeclaredTracker,
    known_entry,
    needs_consent,
    read_declaration,
)
from privacy_audit.findings import Finding, Subject, sort_findings
from privacy_audit.i18n import FALLBACK, Text, has_text, text
from privacy_audit.observations import (
    CookieObservation,
    Observations,
    PhaseObservations,
    RequestObservation,
    StorageObservation,
    banner_detail,
    banner_failed,
    phase_observed,
)
from privacy_audit.rules import RULES
from privacy_pages.diagnostics import Diagnostic, Severity
from privacy_pages.model.durations import THIRTEEN_MONTHS_DAYS
from privacy_pages.model.knowledge import KnowledgeBase, KnownCookie
from privacy_pages.rules.sources import Law

RT01_RATIO = 1.5
RT01_MIN_EXTRA_DAYS = 1.0
_SAME_KIND = {"social_media": "advertising"}
_VAGUE_KINDS = ("functional", "other")


@dataclass
class _Context:
    observations: Observations
    declaration: Declaration
    knowledge: KnowledgeBase
    severities: dict[str, Severity]
    findings: list[Finding] = field(default_factory=list)
    tracking_domains: dict[str, Text] | None = None
    law: Law = field(default_factory=Law.today)  # rules apply while their sources do

    def add(
        self,
        rule_id: str,
        url: str,
        message: Text,
        *,
        phase: str | None,
        phases: Iterable[str] = (),
        subject: Subject | None = None,
        vendor: str | None = None,
        hint: Text | None = None,
        pointer: str = "",
        at_most: Severity | None = None,
    ) -> None:
        rule = RULES.get(rule_id)
        if not rule.applies_on(self.law.as_of):
            return  # the law it enforces is not in force on the day audited for
        severity = self.severities[rule_id]
        if at_most is not None and severity > at_most:
            severity = at_most
        diagnostic = Diagnostic(
            rule=rule_id,
            severity=severity,
            path=url,
            line=0,
            column=0,
            message=message.render(),
            pointer=pointer,
            hint=hint.render() if hint is not None else "",
            name=rule.name,
        )
        seen = tuple(p for p in PHASES if p in set(phases)) or ((phase,) if phase else ())
        established = not seen or any(p not in self.unsettled for p in seen)
        self.findings.append(
            Finding(
                diagnostic,
                phase,
                seen,
                subject,
                vendor,
                established=established,
                text=message,
                hint_text=hint,
            )
        )

    @property
    def unsettled(self) -> frozenset[str]:
        """Phases whose banner action failed: what they saw is not the state they name."""
        return frozenset(p.phase for p in self.observations.phases if banner_failed(p))

    def phase(self, name: str) -> PhaseObservations | None:
        return next((p for p in self.observations.phases if p.phase == name), None)

    @property
    def target(self) -> str:
        return self.observations.target_url


@dataclass
class _Seen:
    """One cookie or storage key across phases."""

    first: CookieObservation | StorageObservation
    phases: list[str] = field(default_factory=list)
    max_lifetime_days: float | None = None
    any_persistent: bool = False
    all_session: bool = True


def inspect(
    observations: Observations,
    controller_data: Mapping[str, Any] | None,
    knowledge: KnowledgeBase | None,
    *,
    severities: Mapping[str, Severity] | None = None,
    as_of: datetime.date | None = None,
) -> list[Finding]:
    """Every finding of the audit, sorted by phase (declaration first), rule and subject,
    under the law in force on ``as_of`` (today when None)."""
    context = _Context(
        observations=observations,
        declaration=read_declaration(controller_data),
        knowledge=knowledge if knowledge is not None else KnowledgeBase(),
        severities=RULES.severities(severities),
        law=Law.on(as_of),
    )
    for check in _CHECKS:
        check(context)
    return sort_findings(context.findings)


# --- consent: PC01, PC02, PC03, RJ01, RJ02 -------------------------------------------------


def _check_consent(context: _Context) -> None:
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
    context: _Context,
    phase: PhaseObservations,
    cookie_rule: str,
    storage_rule: str,
    request_rule: str,
    when: Text,
) -> None:
    reported: set[tuple[str, str, str]] = set()
    for cookie in _sorted_cookies(phase):
        if ("cookie", cookie.name, cookie.domain) in reported:
            continue
        reason = _consent_reason(context, cookie.name, "cookie")
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
                    why=_describe(tracker, known),
                    when=when,
                ),
                phase=phase.phase,
                subject=Subject("cookie", cookie.name, cookie.domain),
                vendor=_vendor(tracker, known),
                hint=text("hint.consent_cookie"),
            )
    for item in _sorted_storage(phase):
        if (item.kind, item.key, item.origin) in reported:
            continue
        reason = _consent_reason(context, item.key, item.kind)
        if reason:
            reported.add((item.kind, item.key, item.origin))
            tracker, known = reason
            context.add(
                storage_rule,
                item.page_url,
                text(
                    "message.consent_storage",
                    storage=_storage_label(item.kind),
                    name=item.key,
                    domain=item.origin,
                    why=_describe(tracker, known),
                    when=when,
                ),
                phase=phase.phase,
                subject=Subject(item.kind, item.key, item.origin),
                vendor=_vendor(tracker, known),
                hint=text("hint.consent_storage"),
            )
    by_host: dict[str, tuple[RequestObservation, int]] = {}
    for request in sorted(phase.requests, key=lambda r: (r.host, r.page_url, r.url)):
        first, count = by_host.get(request.host, (request, 0))
        by_host[request.host] = (first, count + request.count)
    for host, (request, count) in by_host.items():
        vendor = _tracking_host(context, request)
        if vendor is None:
            continue
        context.add(
            request_rule,
            request.page_url,
            text("message.consent_requests", n=count, host=host, vendor=vendor, when=when),
            phase=phase.phase,
            subject=Subject("host", host),
            vendor=str(vendor),
            hint=text("hint.consent_requests"),
        )


def _consent_reason(
    context: _Context, name: str, kind: str
) -> tuple[DeclaredTracker | None, KnownCookie | None] | None:
    """(declaration, known entry) when the name needs consent, else None."""
    tracker = context.declaration.find(name, kind)
    known = known_entry(context.knowledge, name, kind)
    if _needs_consent(tracker, known):
        return tracker, known
    return None


def _known_needs_consent(known: KnownCookie | None) -> bool:
    return (
        known is not None
        and not known.consent_manager
        and known.category in ("analytics", "advertising", "social_media")
    )


def _declaration_hides_consent(tracker: DeclaredTracker | None, known: KnownCookie | None) -> bool:
    """The declaration says no consent where the knowledge base knows a consent tracker.

    The CNIL's exempt audience measurement is the one declaration kept against the
    knowledge base, for analytics only: its conditions cannot be seen from outside.
    """
    if tracker is None or tracker.needs_consent is not False or not _known_needs_consent(known):
        return False
    assert known is not None
    return not (tracker.exempt_audience_measurement and known.category == "analytics")


def _needs_consent(tracker: DeclaredTracker | None, known: KnownCookie | None) -> bool | None:
    """The knowledge base over the declaration: a wrong declaration never hides a breach."""
    if _declaration_hides_consent(tracker, known):
        return True
    return needs_consent(tracker, known)


def _tracking_host(context: _Context, request: RequestObservation) -> str | Text | None:
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


def _cookie_setting_domains(context: _Context) -> dict[str, Text]:
    """Third-party registrable domains seen setting a cookie that needs consent, in any phase.

    Such a domain is a tracker by its behaviour in this very crawl, even when neither the
    knowledge base nor the declaration names its host.
    """
    if context.tracking_domains is None:
        found: dict[str, Text] = {}
        for phase in _ordered_phases(context):
            for cookie in _sorted_cookies(phase):
                if cookie.party != "third" or cookie.registrable_domain in found:
                    continue
                reason = _consent_reason(context, cookie.name, "cookie")
                if reason:
                    vendor = _vendor(*reason)
                    found[cookie.registrable_domain] = (
                        text("message.vendor_sets_cookie", vendor=vendor, name=cookie.name)
                        if vendor
                        else text("message.sets_cookie", name=cookie.name)
                    )
        context.tracking_domains = found
    return context.tracking_domains


# --- declared vs observed: DC01 to DC06 ------------------------------------------------------


def _collect_seen(context: _Context) -> dict[tuple[str, str, str], _Seen]:
    """Every cookie (kind, name, domain) and storage key (kind, key, origin) across phases."""
    seen: dict[tuple[str, str, str], _Seen] = {}
    for phase in _ordered_phases(context):
        for cookie in _sorted_cookies(phase):
            entry = seen.setdefault(("cookie", cookie.name, cookie.domain), _Seen(cookie))
            if phase.phase not in entry.phases:
                entry.phases.append(phase.phase)
            if cookie.session or cookie.lifetime_seconds is None:
                continue
            entry.all_session = False
            entry.any_persistent = True
            days = cookie.lifetime_seconds / 86400
            if entry.max_lifetime_days is None or days > entry.max_lifetime_days:
                entry.max_lifetime_days = days
        for item in _sorted_storage(phase):
            entry = seen.setdefault((item.kind, item.key, item.origin), _Seen(item))
            if phase.phase not in entry.phases:
                entry.phases.append(phase.phase)
    return seen


def _sorted_cookies(phase: PhaseObservations) -> list[CookieObservation]:
    """Cookies in a stable order, so that the result does not depend on the recording's."""
    return sorted(phase.cookies, key=lambda c: (c.name, c.domain, c.path, c.page_url))


def _sorted_storage(phase: PhaseObservations) -> list[StorageObservation]:
    return sorted(phase.storage, key=lambda s: (s.kind, s.key, s.origin, s.page_url))


def _ordered_phases(context: _Context) -> list[PhaseObservations]:
    order = {name: index for index, name in enumerate(PHASES)}
    return sorted(context.observations.phases, key=lambda p: order.get(p.phase, len(order)))


def _check_declared(context: _Context) -> None:
    declaration = context.declaration
    matched: set[int] = set()
    for (kind, name, domain), seen in _collect_seen(context).items():
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
            text("message.known_as", vendor=known.vendor, kind=_kind_label(known)) if known else ""
        )
        necessary = known is not None and (
            known.consent_manager or known.category == "strictly_necessary"
        )
        context.add(
            "DC01",
            seen.first.page_url,
            text(
                "message.undeclared_cookie" if kind == "cookie" else "message.undeclared_storage",
                storage=_storage_label(kind),
                name=name,
                domain=domain,
                phases=_phase_names(seen.phases),
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
                    storage=_storage_label(tracker.type),
                    pattern=pattern,
                ),
                phase=None,
                subject=Subject(tracker.type, tracker.name, tracker.domain),  # type: ignore[arg-type]
                hint=text("hint.unseen"),
                pointer=tracker.pointer,
            )
        _check_classification(context, tracker)
    _check_contradictions(context)


def _check_classification(context: _Context, tracker: DeclaredTracker) -> None:
    subject = Subject(_subject_kind(tracker.type), tracker.name)  # type: ignore[arg-type]
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
    lookup_kind = tracker.type if tracker.type in ("local_storage", "session_storage") else "cookie"
    known = known_entry(context.knowledge, tracker.name, lookup_kind)
    if known is None:
        return
    known_kind = "strictly_necessary" if known.consent_manager else known.category
    declared_kind = tracker.category.kind
    vague = declared_kind is None or declared_kind in _VAGUE_KINDS or known_kind in _VAGUE_KINDS
    if vague or _SAME_KIND.get(declared_kind, declared_kind) == _SAME_KIND.get(
        known_kind, known_kind
    ):
        if _declaration_hides_consent(tracker, known):
            context.add(
                "DC06",
                context.target,
                text(
                    "message.hides_consent",
                    name=tracker.name,
                    category=tracker.category_id,
                    vendor=known.vendor,
                    kind=_kind_label(known),
                ),
                phase=None,
                subject=subject,
                vendor=known.vendor,
                hint=text("hint.hides_consent"),
                pointer=tracker.pointer,
            )
        return
    context.add(
        "DC06",
        context.target,
        text(
            "message.wrong_kind",
            name=tracker.name,
            declared=declared_kind,
            category=tracker.category_id,
            vendor=known.vendor,
            kind=_kind_label(known),
        ),
        phase=None,
        subject=subject,
        vendor=known.vendor,
        hint=text("hint.wrong_kind", kind=known_kind),
        pointer=tracker.pointer + "/category",
    )


def _check_contradictions(context: _Context) -> None:
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
                subject=Subject(_subject_kind(kind), name),  # type: ignore[arg-type]
                hint=text("hint.contradictory"),
                pointer=trackers[1].pointer + "/category",
            )


def _check_third_parties(context: _Context) -> None:
    """DC03, per registrable domain, over the hosts no declared recipient covers."""
    groups: dict[str, dict[str, Any]] = {}
    for phase in _ordered_phases(context):
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
                phases=_phase_names(group["phases"]),
            ),
            phase=group["phases"][0],
            phases=group["phases"],
            subject=Subject("host", domain),
            vendor=known.vendor if known else None,
            hint=text("hint.third_party", domain=domain),
        )


# --- lifetimes: RT01, RT02, RT03, RT04-------------------------------------------------------------


def _check_lifetimes(context: _Context) -> None:
    for (kind, name, domain), seen in _collect_seen(context).items():
        if kind != "cookie":
            continue
        tracker = context.declaration.find(name, "cookie")
        known = known_entry(context.knowledge, name, "cookie")
        observed = seen.max_lifetime_days
        common: dict[str, Any] = {
            "phase": seen.phases[0],
            "phases": seen.phases,
            "subject": Subject("cookie", name, domain),
            "vendor": _vendor(tracker, known),
        }
        url = seen.first.page_url
        if tracker is not None:
            declared_session = tracker.declared_session
            if declared_session is True and seen.any_persistent and observed is not None:
                context.add(
                    "RT02",
                    url,
                    text("message.session_persists", name=name, duration=_days(observed)),
                    hint=text("hint.session_persists", days=max(1, round(observed))),
                    pointer=tracker.pointer + "/lifetime",
                    **common,
                )
            elif declared_session is False and seen.all_session:
                context.add(
                    "RT02",
                    url,
                    text("message.lifetime_is_session", name=name, lifetime=tracker.lifetime),
                    hint=text("hint.lifetime_is_session"),
                    pointer=tracker.pointer + "/lifetime",
                    **common,
                )
            declared_days = tracker.lifetime_days
            if (
                declared_days is not None
                and observed is not None
                and observed > RT01_RATIO * declared_days
                and observed - declared_days >= RT01_MIN_EXTRA_DAYS
            ):
                context.add(
                    "RT01",
                    url,
                    text(
                        "message.lives_longer",
                        name=name,
                        duration=_days(observed),
                        lifetime=tracker.lifetime,
                    ),
                    hint=text("hint.lives_longer"),
                    pointer=tracker.pointer + "/lifetime",
                    **common,
                )
        if observed is None or observed <= THIRTEEN_MONTHS_DAYS:
            continue
        if tracker is not None and tracker.exempt_audience_measurement:
            context.add(  # beyond 13 months the exemption is lost: consent was needed
                "RT04",
                url,
                text("message.exempt_over_13_months", name=name, duration=_days(observed)),
                hint=text("hint.exempt_over_13_months"),
                pointer=tracker.pointer + "/exempt_audience_measurement",
                **common,
            )
        elif _needs_consent(tracker, known):
            context.add(
                "RT03",
                url,
                text("message.over_13_months", name=name, duration=_days(observed)),
                hint=text("hint.over_13_months"),
                **common,
            )


# --- banner: BN00, BN01, BN07 -----------------------------------------------------------------


def _check_banner(context: _Context) -> None:
    phases = [p for p in _ordered_phases(context) if p.banner is not None]
    if not phases:
        return
    detected = [p for p in phases if p.banner and p.banner.detected]
    if not detected and _site_needs_consent(context):
        phase = phases[0]
        banner = phase.banner
        context.add(
            "BN00",
            _first_page(context, phase),
            text("message.no_banner_detail", detail=banner_detail(banner))
            if banner and banner.detail
            else text("message.no_banner"),
            phase=phase.phase,
            phases=[p.phase for p in phases],
            subject=Subject("banner", "consent banner"),
            hint=text("hint.no_banner"),
        )
    no_reject = [p for p in detected if p.banner and p.banner.reject_option_found is False]
    if no_reject:
        phase = no_reject[0]
        banner = phase.banner
        assert banner is not None
        context.add(
            "BN01",
            _first_page(context, phase),
            text(
                "message.no_reject_cmp" if banner.cmp else "message.no_reject",
                cmp=banner.cmp,
                method=_known_text("banner_method", banner.method),
                clicks=_click_comparison(context),
            ),
            phase=phase.phase,
            phases=[p.phase for p in no_reject],
            subject=Subject("banner", banner.cmp or "consent banner"),
            hint=text("hint.no_reject"),
        )
    no_withdraw = [p for p in detected if p.banner and p.banner.withdraw_option_found is False]
    if no_withdraw:
        phase = no_withdraw[0]
        context.add(
            "BN07",
            _first_page(context, phase),
            text("message.no_withdraw"),
            phase=phase.phase,
            phases=[p.phase for p in no_withdraw],
            subject=Subject("banner", "consent banner"),
            hint=text("hint.no_withdraw"),
        )


def _click_comparison(context: _Context) -> Text | str:
    """ "; refusing took 3 clicks, accepting 1" when both choices were clicked and counted."""
    counts = {}
    for phase in context.observations.phases:
        banner = phase.banner
        if banner is not None and banner.succeeded and banner.clicks is not None:
            counts[banner.action] = banner.clicks
    if "reject" in counts and "accept" in counts:
        return text("message.click_comparison", reject=counts["reject"], accept=counts["accept"])
    return ""


def _site_needs_consent(context: _Context) -> bool:
    if any(t.needs_consent for t in context.declaration.trackers):
        return True
    for phase in context.observations.phases:
        names = [(c.name, "cookie") for c in phase.cookies] + [
            (s.key, s.kind) for s in phase.storage
        ]
        if any(_consent_reason(context, name, kind) for name, kind in names):
            return True
        if any(_tracking_host(context, r) for r in phase.requests):
            return True
    return False


# --- pages: TX01, LK01 ------------------------------------------------------------------------


def _check_pages(context: _Context) -> None:
    insecure: list[tuple[str, str]] = []
    seen_urls: set[str] = set()
    for phase in _ordered_phases(context):
        for page in phase.pages:
            url = page.final_url or page.url
            if page.error is None and _plain_http(url):
                insecure.append((phase.phase, url))
            if page.links_privacy_page is False and page.error is None and url not in seen_urls:
                seen_urls.add(url)
                context.add(
                    "LK01",
                    url,
                    text("message.no_policy_link"),
                    phase=phase.phase,
                    subject=Subject("page", url),
                    hint=text("hint.no_policy_link"),
                )
    forms: dict[str, tuple[str, list[str]]] = {}
    for phase in _ordered_phases(context):
        for page in phase.pages:
            for action in page.insecure_forms:
                if _plain_http(action) and action not in forms:
                    forms[action] = (phase.phase, [])
                if action in forms and page.url not in forms[action][1]:
                    forms[action][1].append(page.url)
    for action, (phase_name, pages) in forms.items():
        context.add(
            "TX02",
            pages[0],
            text("message.insecure_form", action=action),
            phase=phase_name,
            subject=Subject("page", action),
            hint=text("hint.insecure_form"),
        )
    if insecure:
        urls = sorted({u for _, u in insecure})
        context.add(
            "TX01",
            insecure[0][1],
            text("message.plain_http", n=len(urls)),
            phase=insecure[0][0],
            phases=[p for p, _ in insecure],
            subject=Subject("site", urlsplit(insecure[0][1]).hostname or ""),
            hint=text("hint.plain_http"),
        )


def _plain_http(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "http":
        return False
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


# --- shared helpers ---------------------------------------------------------------------------


def _first_page(context: _Context, phase: PhaseObservations) -> str:
    return phase.pages[0].url if phase.pages else context.target


def _describe(tracker: DeclaredTracker | None, known: KnownCookie | None) -> Text:
    if _declaration_hides_consent(tracker, known):
        assert known is not None and tracker is not None
        return text(
            "message.why_hidden",
            vendor=known.vendor,
            kind=_kind_label(known),
            category=tracker.category_id,
        )
    if tracker is not None and tracker.category is not None:
        return text("message.why_declared", category=tracker.category.id)
    if known is not None:
        return text("message.why_known", vendor=known.vendor, kind=_kind_label(known))
    return text("message.why_needs_consent")


def _vendor(tracker: DeclaredTracker | None, known: KnownCookie | None) -> str | None:
    if tracker is not None and tracker.provider:
        return tracker.provider
    return known.vendor if known else None


def _kind_label(known: KnownCookie) -> Text:
    return text("kind.consent_manager" if known.consent_manager else f"kind.{known.category}")


def _known_text(section: str, value: str) -> Text | str:
    """A value of the crawler's vocabulary said in the report's language, if we know it."""
    key = f"{section}.{value}"
    return text(key) if has_text(key, FALLBACK) else value


def _phase_names(phases: Iterable[str]) -> list[Text]:
    """Phases named inside a sentence, in the report's language."""
    return [text(f"phase_name.{phase}") for phase in phases]


def _storage_label(kind: str) -> str:
    return {"local_storage": "localStorage", "session_storage": "sessionStorage"}.get(kind, kind)


def _subject_kind(tracker_type: str) -> str:
    return tracker_type if tracker_type in ("local_storage", "session_storage") else "cookie"


def _days(days: float) -> Text:
    if days < 1:
        return text("message.hours", n=f"{days * 24:.0f}")
    return text("message.days", n=f"{days:.0f}")


def _check_close(context: _Context) -> None:
    """BN08: trackers needing consent that appear only once the banner was closed (×).

    The close probe records everything its visit saw, including what the page set on load,
    before any click: only what the before-consent phase (the same page, no click) did not
    see is the click's doing. Without an observed before-consent phase there is nothing to
    compare with, and nothing is reported.
    """
    probe = context.observations.close_probe
    before = context.phase("before-consent")
    if not probe or not probe.get("closed") or before is None or not phase_observed(before):
        return
    on_load = {c.name for c in before.cookies} | {s.key for s in before.storage}
    hosts_on_load = {r.host for r in before.requests}
    names = [(n, "cookie") for n in probe.get("cookies", []) if n not in on_load]
    names += [(n, "local_storage") for n in probe.get("storage", []) if n not in on_load]
    needing = sorted({name for name, kind in names if _consent_reason(context, name, kind)})
    hosts = sorted(
        host
        for host in probe.get("hosts", [])
        if host not in hosts_on_load
        and context.knowledge.host(host) is not None
        and context.knowledge.host(host).category != "strictly_necessary"  # type: ignore[union-attr]
    )
    if not needing and not hosts:
        return
    what = ", ".join([f"'{n}'" for n in needing] + hosts)
    context.add(
        "BN08",
        str(probe.get("page_url") or context.target),
        text("message.close_is_consent", label=repr(probe.get("label")), trackers=what),
        phase="before-consent",
        subject=Subject("banner", "close button"),
        hint=text("hint.close_is_consent"),
    )


_CHECKS = (
    _check_consent,
    _check_declared,
    _check_third_parties,
    _check_lifetimes,
    _check_banner,
    _check_pages,
    _check_close,
)

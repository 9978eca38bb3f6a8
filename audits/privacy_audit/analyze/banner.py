"""BN00, BN01, BN07, BN08: the banner itself (missing, no refusal, no way back, the close
button taken as consent)."""

from __future__ import annotations

from privacy_audit.analyze.context import Context, first_page, known_text, ordered_phases
from privacy_audit.analyze.tracking import consent_reason, tracking_host
from privacy_audit.findings import Subject
from privacy_audit.i18n import Text, text
from privacy_audit.observations import banner_detail, phase_observed


def check_banner(context: Context) -> None:
    phases = [p for p in ordered_phases(context) if p.banner is not None]
    if not phases:
        return
    detected = [p for p in phases if p.banner and p.banner.detected]
    if not detected and _site_needs_consent(context):
        phase = phases[0]
        banner = phase.banner
        context.add(
            "BN00",
            first_page(context, phase),
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
            first_page(context, phase),
            text(
                "message.no_reject_cmp" if banner.cmp else "message.no_reject",
                cmp=banner.cmp,
                method=known_text("banner_method", banner.method),
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
            first_page(context, phase),
            text("message.no_withdraw"),
            phase=phase.phase,
            phases=[p.phase for p in no_withdraw],
            subject=Subject("banner", "consent banner"),
            hint=text("hint.no_withdraw"),
        )


def _click_comparison(context: Context) -> Text | str:
    """ "; refusing took 3 clicks, accepting 1" when both choices were clicked and counted."""
    counts = {}
    for phase in context.observations.phases:
        banner = phase.banner
        if banner is not None and banner.succeeded and banner.clicks is not None:
            counts[banner.action] = banner.clicks
    if "reject" in counts and "accept" in counts:
        return text("message.click_comparison", reject=counts["reject"], accept=counts["accept"])
    return ""


def _site_needs_consent(context: Context) -> bool:
    if any(t.needs_consent for t in context.declaration.trackers):
        return True
    for phase in context.observations.phases:
        names = [(c.name, "cookie") for c in phase.cookies] + [
            (s.key, s.kind) for s in phase.storage
        ]
        if any(consent_reason(context, name, kind) for name, kind in names):
            return True
        if any(tracking_host(context, r) for r in phase.requests):
            return True
    return False


def check_close(context: Context) -> None:
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
    needing = sorted({name for name, kind in names if consent_reason(context, name, kind)})
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

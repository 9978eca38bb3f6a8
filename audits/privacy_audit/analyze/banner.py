"""BN00, BN01, BN07, BN08, BN09: the banner itself (missing, no refusal or a refusal drawn
far less visibly than the acceptance, no way back, the close button taken as consent, a
pay-or-accept wall)."""

from __future__ import annotations

from typing import Any

from privacy_audit.analyze.context import Context, first_page, known_text, ordered_phases
from privacy_audit.analyze.tracking import consent_reason, tracking_host
from privacy_audit.findings import Subject
from privacy_audit.i18n import Text, text
from privacy_audit.observations import banner_detail, landing_failed, phase_observed


def check_banner(context: Context) -> None:
    phases = [p for p in ordered_phases(context) if p.banner is not None]
    if not phases:
        return
    detected = [p for p in phases if p.banner and p.banner.detected]
    examined = [p for p in phases if not landing_failed(p)]  # no banner looked at: no claim
    if not detected and examined and _site_needs_consent(context):
        phase = examined[0]
        banner = phase.banner
        context.add(
            "BN00",
            first_page(context, phase),
            text("message.no_banner_detail", detail=banner_detail(banner))
            if banner and banner.detail
            else text("message.no_banner"),
            phase=phase.phase,
            phases=[p.phase for p in examined],
            subject=Subject("banner", "consent banner"),
            hint=text("hint.no_banner"),
        )
    walls = [p for p in detected if p.banner and p.banner.wall]
    no_reject = [
        p for p in detected if p.banner and p.banner.reject_option_found is False and not walls
    ]
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
    _check_prominence(context, detected)
    if walls:
        phase = walls[0]
        wall = phase.banner.wall if phase.banner else None
        assert wall is not None
        context.add(
            "BN09",
            first_page(context, phase),
            text(
                "message.pay_or_accept",
                offer=repr(wall.get("offer")),
                price=text("message.wall_price", price=wall["price"]) if wall.get("price") else "",
            ),
            phase=phase.phase,
            phases=[p.phase for p in walls],
            subject=Subject("banner", "consent banner"),
            hint=text("hint.pay_or_accept"),
            details={k: str(v) for k, v in wall.items() if v},
            whatever_the_state=True,
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


AREA_RATIO = 1 / 3
"""A refuse control under a third of the accept control's area is not as easy to see."""
FONT_RATIO = 0.7
"""Text under 70 % of the accept control's text size."""
LOW_CONTRAST = 3.0
"""Under 3:1 (WCAG 2.1's minimum for large text) beside an accept control of ``GOOD_CONTRAST``."""
GOOD_CONTRAST = 4.5
"""WCAG 2.1's minimum for body text (AA)."""


def _check_prominence(context: Context, detected: list[Any]) -> None:
    """BN01 when the refusal shows, but far less visibly than the acceptance (measured)."""
    for phase in detected:
        controls = phase.banner.controls if phase.banner else {}
        refuse, accept = controls.get("refuse"), controls.get("accept")
        if not refuse or not accept or not _less_visible(refuse, accept):
            continue
        context.add(
            "BN01",
            first_page(context, phase),
            text(
                "message.reject_less_visible",
                refuse=repr(refuse.get("label")),
                accept=repr(accept.get("label")),
                refuse_measures=_measures_text(refuse),
                accept_measures=_measures_text(accept),
            ),
            phase=phase.phase,
            phases=[phase.phase],
            subject=Subject("banner", "consent banner"),
            hint=text("hint.reject_less_visible"),
            details={
                "refuse": _measures_text(refuse).render(),
                "accept": _measures_text(accept).render(),
            },
            whatever_the_state=True,
        )
        return


def _less_visible(refuse: dict[str, Any], accept: dict[str, Any]) -> bool:
    def area(control: dict[str, Any]) -> float:
        return float(control.get("width") or 0) * float(control.get("height") or 0)

    small = area(accept) > 0 and area(refuse) < AREA_RATIO * area(accept)
    accept_font = float(accept.get("font_size") or 0)
    tiny = accept_font > 0 and float(refuse.get("font_size") or 0) < FONT_RATIO * accept_font
    faint = (
        float(refuse.get("contrast") or 21) < LOW_CONTRAST
        and float(accept.get("contrast") or 0) >= GOOD_CONTRAST
    )
    return small or tiny or faint


def _measures_text(control: dict[str, Any]) -> Text:
    """A control as measured: "130×14 px, text 11 px, contrast 1.6:1"."""
    return text(
        "message.measures",
        width=control.get("width"),
        height=control.get("height"),
        font=f"{float(control.get('font_size') or 0):g}",
        contrast=f"{float(control.get('contrast') or 0):g}",
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

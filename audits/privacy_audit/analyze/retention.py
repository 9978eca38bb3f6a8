"""RT01-RT04: how long cookies live, against their declared lifetime and the CNIL's 13 months."""

from __future__ import annotations

from typing import Any

from privacy_audit.analyze.context import Context, collect_seen, duration_text
from privacy_audit.analyze.declared import known_entry
from privacy_audit.analyze.tracking import consent_required, vendor_of
from privacy_audit.findings import Subject
from privacy_audit.i18n import text
from privacy_pages.model.durations import THIRTEEN_MONTHS_DAYS

RT01_RATIO = 1.5
RT01_MIN_EXTRA_DAYS = 1.0


def check_lifetimes(context: Context) -> None:
    for (kind, name, domain), seen in collect_seen(context).items():
        if kind != "cookie":
            continue
        tracker = context.declaration.find(name, "cookie")
        known = known_entry(context.knowledge, name, "cookie")
        observed = seen.max_lifetime_days
        common: dict[str, Any] = {
            "phase": seen.phases[0],
            "phases": seen.phases,
            "subject": Subject("cookie", name, domain),
            "vendor": vendor_of(tracker, known),
        }
        url = seen.first.page_url
        if tracker is not None:
            declared_session = tracker.declared_session
            if declared_session is True and seen.any_persistent and observed is not None:
                context.add(
                    "RT02",
                    url,
                    text("message.session_persists", name=name, duration=duration_text(observed)),
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
                        duration=duration_text(observed),
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
                text("message.exempt_over_13_months", name=name, duration=duration_text(observed)),
                hint=text("hint.exempt_over_13_months"),
                pointer=tracker.pointer + "/exempt_audience_measurement",
                **common,
            )
        elif consent_required(tracker, known):
            context.add(
                "RT03",
                url,
                text("message.over_13_months", name=name, duration=duration_text(observed)),
                hint=text("hint.over_13_months"),
                **common,
            )

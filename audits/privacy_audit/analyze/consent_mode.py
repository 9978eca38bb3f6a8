"""Consent signals a tracker's requests carry, in words: Google Consent Mode's ``gcs``.

A tag in Consent Mode keeps sending its measurement requests before consent and after a
refusal, without cookies, with the consent state in ``gcs`` (``G1`` then ad_storage and
analytics_storage: 1 granted, 0 denied, - not set). Such a "cookieless ping" still sends
the visit to the tracker: reported with the other requests (PC03, RJ02), the state decoded.
"""

from __future__ import annotations

import re

from privacy_audit.i18n import Text, text

_GCS = re.compile(r"^G1([01-])([01-])$")
_STATES = {"1": "granted", "0": "denied", "-": "unset"}


def decode_gcs(value: str) -> Text | None:
    """``G100`` as "ad_storage denied, analytics_storage denied"; None for another form."""
    match = _GCS.match(value)
    if match is None:
        return None
    ads, analytics = (text(f"consent_state.{_STATES[c]}") for c in match.groups())
    return text("message.gcs_states", ads=ads, analytics=analytics)


def consent_signals(params: dict[str, list[str]]) -> tuple[Text | str, dict[str, str]]:
    """What a host's requests said of consent: a sentence to add to the finding's message,
    and its details (``gcs: G100 (ad_storage denied, analytics_storage denied)``)."""
    values = params.get("gcs") or []
    if not values:
        return "", {}
    said: list[Text | str] = []
    for value in values:
        states = decode_gcs(value)
        said.append(text("message.gcs_value", value=value, states=states) if states else value)
    sentence = text(
        "message.consent_mode",
        values=said[0] if len(said) == 1 else "; ".join(str(item) for item in said),
    )
    decoded = [f"{v} ({decode_gcs(v)})" if decode_gcs(v) else v for v in values]
    return sentence, {"gcs": "; ".join(decoded)}

"""The sections of each generated page, by anchor, in page order.

One place for what an extra section's `position` may name (`before: rights`): the rule
that checks positions reads it, and a test holds it equal to the headings the templates
really emit.
"""

from __future__ import annotations

PAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    "privacy": (
        "summary",
        "controller",
        "dpo",
        "activities",
        "recipients",
        "transfers",
        "retention",
        "rights",
        "national",
        "minors",
        "security",
    ),
    "cookies": (
        "what",
        "categories",
        "trackers",
        "choice",
        "browsers",
        "opt-out",
        "retention",
        "notes",
    ),
    "legal_notice": ("publisher", "director", "host", "regulated"),
}

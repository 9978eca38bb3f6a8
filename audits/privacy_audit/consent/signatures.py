"""Which consent manager a banner belongs to, named only on that manager's own signature.

Autoconsent recognises a banner by its markup, and some of its rules match another library's
markup (its "Complianz" rules match Osano's cookieconsent). `signatures.yaml` gives each
family's own signature (a global, an element, a script of its name); `name_consent_manager`
keeps a rule's name only when its family's signature is on the page, and names a family
found by its signature when no rule knew the banner.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from privacy_audit.resources import package_text, page_script
from privacy_pages.data_yaml import load_yaml

SIGNATURES_SCRIPT = page_script("privacy_audit.consent", "scripts/signatures.js")
"""Runs in one frame: the families of the table whose signature is there."""


@lru_cache(maxsize=1)
def signatures() -> dict[str, dict[str, Any]]:
    """The table, by family: name, rules (compiled), globals, selectors, scripts."""
    table = load_yaml(package_text("privacy_audit.consent", "signatures.yaml"))
    return {
        family: {**sign, "rules": re.compile(sign["rules"], re.IGNORECASE)}
        for family, sign in table.items()
    }


def page_table() -> dict[str, dict[str, list[str]]]:
    """What `SIGNATURES_SCRIPT` needs of the table."""
    return {
        family: {key: list(sign[key]) for key in ("globals", "selectors", "scripts")}
        for family, sign in signatures().items()
    }


def family_of(rule: str) -> str | None:
    """The family an autoconsent rule's name belongs to, if the table knows it."""
    return next((f for f, sign in signatures().items() if sign["rules"].search(rule)), None)


def name_consent_manager(rule: str | None, present: list[str]) -> str | None:
    """The consent manager to name: the rule's, when its family's signature is ``present``
    (or its family is not in the table); else the first family present; else none."""
    if rule:
        family = family_of(rule)
        if family is None or family in present:
            return rule
    table = signatures()
    return next((table[f]["name"] for f in table if f in present), None)

"""Every rule of `privacy-pages check` and `privacy-pages audit`, in one explicit registry.

Families: YAML (reading the file), SCHEMA (the contract), PN (privacy notice, GDPR
Art. 12-14), LN (French legal notice, LCEN art. 1-1), CK (cookies, ePrivacy Art. 5(3) and
the CNIL's 2020 guidelines), CS (consistency of the file itself).
"""

from __future__ import annotations

from privacy_pages.rules.registry import Problem, Rule, RuleRegistry

REGISTRY = RuleRegistry()
# The document each family checks: its rules run only when the file covers that document.
FAMILY_DOCUMENTS = {"PN": "privacy_notice", "LN": "legal_notice", "CK": "cookie_policy"}

# Importing the modules registers their rules; this order is the order of the reference.
# isort: off
from privacy_pages.rules import syntax  # noqa: F401
from privacy_pages.rules import gdpr  # noqa: F401
from privacy_pages.rules import legal_notice  # noqa: F401
from privacy_pages.rules import cookies  # noqa: F401
from privacy_pages.rules import consistency  # noqa: F401
from privacy_pages.rules import migration  # noqa: F401
from privacy_pages.rules import todo  # noqa: F401
from privacy_pages.rules import audit  # noqa: F401  (scope "audit": checked by privacy_audit)
# isort: on

__all__ = ["FAMILY_DOCUMENTS", "REGISTRY", "Problem", "Rule", "RuleRegistry"]

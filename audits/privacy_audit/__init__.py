"""privacy_audit: drive a real Chromium over a live site and compare what it sets with the declaration."""

from __future__ import annotations

PHASES = ("before-consent", "after-reject", "after-accept")

"""Drive Chromium over a site, phase by phase, and record what it sets (observations)."""

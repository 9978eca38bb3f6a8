"""Every client at once: audit --all, the portfolio page, shards, webhook and YAML suggestions."""

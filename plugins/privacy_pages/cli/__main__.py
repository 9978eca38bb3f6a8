"""`python -m privacy_pages.cli`: the same command as `privacy-pages`."""

from __future__ import annotations

import sys

from privacy_pages.cli import main

sys.exit(main())

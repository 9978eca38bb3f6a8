"""privacy-pages: declare, check, render and audit a company's privacy information."""

from __future__ import annotations

__version__ = "0.1.0"

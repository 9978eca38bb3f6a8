"""Placeholder: owned by the audit work (issue 4)."""

from __future__ import annotations

import argparse

HELP = "not implemented yet"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print("not implemented yet")
    return 2

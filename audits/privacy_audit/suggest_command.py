"""placeholder"""
from __future__ import annotations
import argparse
HELP = "declare what an audit saw: a unified diff for the controller file (--write applies it)"
def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass
def run(args: argparse.Namespace) -> int:
    return 2

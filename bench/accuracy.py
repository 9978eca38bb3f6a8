"""Accuracy figures of the audit on the accuracy sites (tests/data/audit/accuracy/): phases
right out of phases asserted, per site, on this machine as it is and loaded with busy loops.

Each site is audited ``--runs`` times per load (default settings, as the tests do); a phase
counts as right in a run when every expectation of it holds. Prints one line per site and
load, then the totals, and the share of attribution cookies credited to the page that set
them. Needs npm (the consent managers) and Chromium, as the tests do.

Run: ``python bench/accuracy.py [--runs 1] [--busy 2] [--sites wording,late]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's tests

from tests.audit.accuracy import (
    SITE_NAMES,
    audit,
    busy_machine,
    credit_share,
    mismatches,
    run_mismatches,
)
from tests.audit.site_server import SiteServer, make_certificate
from tests.npm_fixtures import install_npm_fixtures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--busy",
        type=int,
        default=os.cpu_count() or 2,
        help="busy processes of the loaded runs (0: quiet runs only)",
    )
    parser.add_argument("--sites", default=",".join(SITE_NAMES))
    args = parser.parse_args(argv)
    install_npm_fixtures()
    sites = [s for s in args.sites.split(",") if s]
    loads = [("quiet", 0)] + ([("loaded", args.busy)] if args.busy else [])
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as folder:
        certificate = make_certificate(Path(folder))
        for label, busy in loads:
            right = asserted = 0
            for name in sites:
                site_right = site_asserted = 0
                notes = []
                for attempt in range(args.runs):
                    server = SiteServer(name, certificate).start()
                    try:
                        with busy_machine(busy):
                            run = audit(name, server, Path(folder) / f"{label}-{name}-{attempt}")
                    except Exception as error:  # noqa: BLE001 - a run that breaks scores 0
                        site_asserted += 3
                        notes.append(f"error: {error}")
                        continue
                    finally:
                        server.stop()
                    for phase, wrong in sorted(mismatches(name, run).items()):
                        site_asserted += 1
                        site_right += not wrong
                        notes += [f"{phase}: {w}" for w in wrong]
                    notes += [f"run: {w}" for w in run_mismatches(name, run)]
                    if name == "attribution":
                        notes.append(f"credited to the right page: {credit_share(run):.0%}")
                right += site_right
                asserted += site_asserted
                print(
                    f"{label:<6} {name:<12} {site_right:>2}/{site_asserted:<2} phases right",
                    flush=True,
                )
                for note in notes:
                    print(f"         {note}")
            totals[label] = [right, asserted]
    for label, (right, asserted) in totals.items():
        print(f"{label}: {right} of {asserted} phases right")
    return 0


if __name__ == "__main__":
    sys.exit(main())

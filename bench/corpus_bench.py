"""How right `check` is on real documents: precision and recall per rule and per severity.

Run: python bench/corpus_bench.py [--write]

Scores `check` on tests/data/corpus (real French documents modelled from their text, and
the findings a lawyer expects in each), as tests/check/test_corpus.py does, and prints the
table with every false and missed finding. --write records each rule's measured precision
in privacy_pages/data/corpus_precision.json, which docs/rules.md shows (the suite checks
that the record matches the corpus).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from privacy_pages.rules.measure import measure, mismatches, precision_record, table, write_record

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record each rule's precision")
    args = parser.parse_args()
    measurement = measure(CORPUS)
    print(table(measurement))
    print(mismatches(measurement) or "no false or missed finding\n")
    if args.write:
        path = write_record(precision_record(measurement))
        print(f"recorded in {path}")


if __name__ == "__main__":
    main()

"""Benchmark: `check` over generated controllers against only parsing the same YAML.

Run: python bench/check_bench.py [--files 1000] [--repeat 5]
Baseline (same run, same files): PyYAML's C safe loader reading every file
(`yaml.load(..., CSafeLoader)`), the cheapest way to get the data at all. Times are CPU
seconds of this process (both sides are single-threaded), which a shared 2-core machine
disturbs less than wall-clock time. Targets from
issue #2: check <= 3x parse at 1,000 files, and time linear in the number of files.
Issue #8 states its target against a pure-Python YAML compose (`yaml.compose` with the
pure-Python SafeLoader, the node tree a linter needs for line numbers): measured too, at
the largest size, in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from privacy_pages.check import CheckOptions, run_check

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "tests" / "data" / "check" / "formats" / "complete.yaml"


def generate(directory: Path, count: int) -> list[Path]:
    """``count`` controllers: the complete example with ids and a growing number of activities."""
    base = TEMPLATE.read_text(encoding="utf-8")
    head, _, tail = base.partition("recipients:\n")
    activity = head[head.index("  - id: orders") :]
    paths = []
    for index in range(count):
        extra = "".join(
            activity.replace("id: orders", f"id: orders-{index}-{k}").replace(
                "id: newsletter", f"id: newsletter-{index}-{k}"
            )
            for k in range(index % 4)
        )
        text = (
            head.replace("id: exemple-boutique", f"id: client-{index}")
            + extra
            + "recipients:\n"
            + tail
        )
        path = directory / f"client-{index:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def time_parse(paths: list[Path]) -> float:
    started = time.process_time()
    for path in paths:
        with open(path, "rb") as handle:
            yaml.load(handle.read().decode("utf-8"), Loader=yaml.CSafeLoader)
    return time.process_time() - started


def time_compose(paths: list[Path]) -> float:
    """Pure-Python compose (nodes with marks, no construction): issue #8's baseline."""
    started = time.process_time()
    for path in paths:
        with open(path, "rb") as handle:
            yaml.compose(handle.read().decode("utf-8"), Loader=yaml.SafeLoader)
    return time.process_time() - started


def time_check(paths: list[Path]) -> float:
    started = time.process_time()
    result = run_check(paths, CheckOptions())
    elapsed = time.process_time() - started
    assert len(result.files) == len(paths)
    assert result.count(__import__("privacy_pages.diagnostics").diagnostics.Severity.ERROR) == 0
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.files)
        time_check(paths[:20])  # warm caches: schema, validators, knowledge base
        sizes = sorted({args.files // 4, args.files // 2, args.files})
        medians: dict[int, tuple[float, float]] = {}
        for size in sizes:
            parse_times, check_times = [], []
            for _ in range(args.repeat):
                parse_times.append(time_parse(paths[:size]))
                check_times.append(time_check(paths[:size]))
            medians[size] = (statistics.median(parse_times), statistics.median(check_times))
        compose = statistics.median(time_compose(paths) for _ in range(max(1, args.repeat // 2)))
    print(f"{'files':>6} {'parse cpu s':>12} {'check cpu s':>12} {'ratio':>6} {'ms/file':>8}")
    for size, (parse, check) in medians.items():
        print(
            f"{size:>6} {parse:>12.3f} {check:>12.3f} {check / parse:>5.2f}x {1000 * check / size:>8.2f}"
        )
    small, large = sizes[0], sizes[-1]
    growth = medians[large][1] / medians[small][1]
    print(
        f"linearity: {large} files take {growth:.2f}x the time of {small} "
        f"(linear would be {large / small:.2f}x)"
    )
    ratio = medians[large][1] / medians[large][0]
    print(
        f"check / parse at {large} files: {ratio:.2f}x (target <= 3x): "
        + ("OK" if ratio <= 3 else "OVER TARGET")
    )
    versus_compose = medians[large][1] / compose
    print(
        f"check / pure-Python compose at {large} files: {versus_compose:.2f}x "
        f"(compose {compose:.3f} cpu s; target <= 3x): "
        + ("OK" if versus_compose <= 3 else "OVER TARGET")
    )


if __name__ == "__main__":
    main()

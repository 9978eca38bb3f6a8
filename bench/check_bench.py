"""Benchmark: `privacy-pages check` as a user runs it, against a C-loader YAML compose.

Run: python bench/check_bench.py [--files 1000] [--repeat 5] [--memory-files 10000]

The files are real documents: the corpus of tests/data/corpus, the five bundled clients and
the complete example, copied round-robin under distinct ids (findings included, as real
folders have them). Each side is a whole process, start-up included, timed in CPU seconds
of that process (user + system, which a shared 2-core machine disturbs less than
wall-clock time), its peak memory read from the kernel (ru_maxrss):

- baseline: a Python process composing every file with PyYAML's C loader
  (`yaml.compose(text, Loader=CSafeLoader)`: the node tree with marks a linter needs);
- `privacy-pages check DIR --format text`, `--format json` and `--format sarif`.

Targets (issue 18): check within 5x of the baseline; the text report within 1.1x of the
JSON one; at --memory-files (10,000) files, every format within 64 MiB. Medians of
--repeat runs, taken in turns so that a change of load hits every side alike.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((ROOT / "tests" / "data" / "corpus" / "documents").glob("*.yaml")),
    *sorted((ROOT / "content").glob("*.yaml")),
    ROOT / "tests" / "data" / "check" / "formats" / "complete.yaml",
]
CHECK = str(Path(sys.executable).with_name("privacy-pages"))
COMPOSE = (
    "import glob, sys, yaml\n"
    "for path in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n"
    "    with open(path, 'rb') as handle:\n"
    "        yaml.compose(handle.read().decode('utf-8'), Loader=yaml.CSafeLoader)\n"
)
RATIO_TARGET, TEXT_TARGET, MEMORY_TARGET_MIB = 5.0, 1.1, 64.0
_ID = re.compile(r"(?m)^id: .*$")


def generate(directory: Path, count: int) -> None:
    """``count`` controller files: the sources in turn, each under its own id."""
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    for index in range(count):
        text = _ID.sub(f"id: client-{index}", texts[index % len(texts)], count=1)
        (directory / f"client-{index:05d}.yaml").write_text(text, encoding="utf-8")


def measure(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, peak MiB) of one process running ``command``, its output discarded."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: findings, as real folders have
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def sides(folder: Path) -> dict[str, list[str]]:
    return {
        "compose (C loader)": [sys.executable, "-c", COMPOSE, str(folder)],
        "check --format text": [CHECK, "check", str(folder), "--format", "text"],
        "check --format json": [CHECK, "check", str(folder), "--format", "json"],
        "check --format sarif": [CHECK, "check", str(folder), "--format", "sarif"],
    }


def uptime() -> str:
    try:
        return subprocess.run(
            ["uptime"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return "uptime not available"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--memory-files", type=int, default=10000, help="files of the memory run (0: skip it)"
    )
    args = parser.parse_args()
    print(f"before: {uptime()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "timing"
        folder.mkdir()
        generate(folder, args.files)
        commands = sides(folder)
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                cpu[name].append(measure(command)[0])
        medians = {name: statistics.median(times) for name, times in cpu.items()}
        memory: dict[str, float] = {}
        if args.memory_files:
            big = Path(tmp) / "memory"
            big.mkdir()
            generate(big, args.memory_files)
            memory = {name: measure(command)[1] for name, command in sides(big).items()}
    print(f"after:  {uptime()}")
    base = medians["compose (C loader)"]
    print(f"\n{args.files} files, median CPU seconds of {args.repeat} runs (start-up included)")
    for name, value in medians.items():
        print(f"  {name:<22} {value:7.2f} s   {value / base:5.2f}x the baseline")
    ratio = max(v for k, v in medians.items() if k.startswith("check")) / base
    text_json = medians["check --format text"] / medians["check --format json"]
    print(
        f"check / compose: {ratio:.2f}x (target <= {RATIO_TARGET:g}x): "
        + ("OK" if ratio <= RATIO_TARGET else "OVER TARGET")
    )
    print(
        f"text / json: {text_json:.2f}x (target <= {TEXT_TARGET:g}x): "
        + ("OK" if text_json <= TEXT_TARGET else "OVER TARGET")
    )
    if memory:
        print(f"\n{args.memory_files} files, peak memory of each process")
        for name, mib in memory.items():
            print(f"  {name:<22} {mib:7.1f} MiB")
        worst = max(v for k, v in memory.items() if k.startswith("check"))
        print(
            f"check peak: {worst:.1f} MiB (target <= {MEMORY_TARGET_MIB:g} MiB): "
            + ("OK" if worst <= MEMORY_TARGET_MIB else "OVER TARGET")
        )


if __name__ == "__main__":
    main()

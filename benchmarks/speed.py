"""Speed and scale: the engine against a full rapidfuzz scan, from the summit fact base up to
about 300,000 phrasings.

    python -m benchmarks.speed                                   # all sizes, a few minutes
    python -m benchmarks.speed --sizes summit,3000 --questions 100
    python -m benchmarks.speed --json docs/bench/speed.json --profile

For each fact base (`summit`: knowledge/summit.yaml and its real eval questions; a number:
benchmarks/synthetic.py's generated fact base of about that many phrasings, the summit facts
included) and each system, a fresh child process builds the index, then answers the
questions one at a time on one thread:
- engine: `Engine(kb, load_language(), embedder=...)` with the `semantic` extra's model (up
  to SEMANTIC_MAX phrasings), engine-words without it; then `Engine.answer(Question(...))`,
  each question in a new conversation (no follow-up context);
- scan-token_sort / scan-WRatio: every phrasing lowercased once with
  `utils.default_process` (that is its "index"), then `process.extractOne` over all of them
  with `fuzz.token_sort_ratio` or `fuzz.WRatio`: the least a naive fuzzy matcher must do, with
  nothing around it (no typo correction, no abstention).
Reported: index build time; p50, p90 and p99 latency per question; questions per second (one
thread); the memory the index keeps and its peak while being built (tracemalloc, in a second
build after the timed run, so tracing slows nothing timed) and the process's peak RSS (fact
base and interpreter included). A system that runs past --budget seconds of questions stops
there (the count it managed is reported). Ratios (scan / engine, and growth from the smallest
synthetic size) are computed from the same run. --profile adds a cProfile of the engine's
questions at each size, on other questions after the timed run: where its time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import knowledge.loader
from benchmarks.common import ROOT, load_eval, machine, percentile, versions, write_json
from benchmarks.synthetic import synthetic_knowledge, synthetic_questions
from bot import Engine, KnowledgeBase, Question
from knowledge.loader import load_knowledge, load_language
from operations.engines import load_embedder

SIZES = ("summit", "3000", "30000", "300000")
SYSTEMS = ("engine", "engine-words", "scan-token_sort", "scan-WRatio")
WARM_UP = 20
# The sentence model embeds about 300 phrasings a second on one core: the engine with it is
# measured up to this many phrasings (a larger fact base takes minutes to embed), words only
# at every size.
SEMANTIC_MAX = 3000
# issue 13: p50 targets on one core; words only (no semantic extra) and as shipped (with it)
TARGETS_MS = {"summit": {"engine-words": 1.0, "engine": 10.0},
              "300000": {"engine-words": 10.0, "engine": 10.0}}


def _eval_questions() -> list[str]:
    paths = [ROOT.parent / "shared" / "eval" / "dev.jsonl", *sorted((ROOT / "tests" / "eval")
             .glob("*.jsonl")), ROOT / "benchmarks" / "holdout.jsonl"]
    found = [item["q"] for p in paths if p.exists() for item in load_eval(p)]
    return list(dict.fromkeys(found))


@functools.lru_cache(maxsize=1)
def fact_base(size: str) -> tuple[KnowledgeBase, list[str], list[str]]:
    """The fact base, the questions to time and (different) warm-up questions."""
    if size == "summit":
        kb = load_knowledge(knowledge.loader.DEFAULT)
        real = _eval_questions()
        warm = [q + " please" for q in real[:WARM_UP]]
        return kb, real, warm
    kb = synthetic_knowledge(int(size))
    questions = synthetic_questions(kb, 600, seed=2)
    warm = synthetic_questions(kb, WARM_UP, seed=99)
    return kb, questions, warm


def _rss_kib() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _Scan:
    def __init__(self, kb: KnowledgeBase, scorer_name: str) -> None:
        from rapidfuzz import fuzz, utils

        self._scorer = {"token_sort": fuzz.token_sort_ratio, "WRatio": fuzz.WRatio}[scorer_name]
        self._process = utils.default_process
        self._ids = [f.id for f in kb.facts for _ in f.questions]
        self._choices = [utils.default_process(q) for f in kb.facts for q in f.questions]

    def ask(self, text: str) -> str | None:
        from rapidfuzz import process

        best = process.extractOne(
            self._process(text), self._choices, scorer=self._scorer, processor=None
        )
        return self._ids[best[2]] if best else None


def measure(size: str, system: str, *, questions: int, budget: float,
            profile: bool = False) -> dict[str, Any]:
    """Build one system on one fact base and time its questions (runs in the child)."""
    kb, all_asked, warm = fact_base(size)
    asked = all_asked[:questions]
    phrasings = sum(len(f.questions) for f in kb.facts)
    gc.collect()
    before = _rss_kib()
    start = time.perf_counter()
    built = _build(kb, system)
    build = time.perf_counter() - start
    ask = _asker(built)
    for n, text in enumerate(warm):
        ask(text, -1 - n)
    times: list[float] = []
    began = time.perf_counter()
    for n, text in enumerate(asked):
        t = time.perf_counter()
        ask(text, n)
        times.append(time.perf_counter() - t)
        if time.perf_counter() - began > budget and len(times) >= 10:
            break
    wall = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    profiled = None
    if profile and isinstance(built, Engine):
        profiled = _profile(built, synthetic_or_real(kb, size, max(questions, 50)))
    del ask, built
    retained, build_peak = _traced_build(kb, system)
    ms = [t * 1000 for t in times]
    out: dict[str, Any] = {
        "size": size,
        "system": system,
        "facts": len(kb.facts),
        "phrasings": phrasings,
        "build_s": build,
        "questions": len(times),
        "questions_offered": len(asked),
        "p50_ms": percentile(ms, 0.5),
        "p90_ms": percentile(ms, 0.9),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": max(ms),
        "mean_ms": sum(ms) / len(ms),
        "qps": len(times) / wall,
        "index_mib": retained / 2**20,
        "build_peak_mib": build_peak / 2**20,
        "peak_rss_mib": peak / 1024,
        "rss_before_mib": before / 1024,
    }
    if profiled:
        out["profile"] = profiled
    return out


def _asker(built: Engine | _Scan) -> Callable[[str, int], object]:
    if isinstance(built, Engine):
        engine = built
        return lambda text, n: engine.answer(
            Question(text, platform="bench", conversation=f"speed:{n}")
        )
    return lambda text, n: built.ask(text)


def _build(kb: KnowledgeBase, system: str) -> Engine | _Scan:
    """engine: as shipped (meaning too, when the semantic extra is installed); engine-words:
    words only; scan-*: a full rapidfuzz scan."""
    if system == "engine":
        return Engine(kb, load_language(), embedder=load_embedder())
    if system == "engine-words":
        return Engine(kb, load_language())
    return _Scan(kb, system.removeprefix("scan-"))


def _traced_build(kb: KnowledgeBase, system: str) -> tuple[int, int]:
    """Build again under tracemalloc: the memory the index keeps, and its peak while built."""
    gc.collect()
    tracemalloc.start()
    built: object = _build(kb, system)
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del built
    return retained, peak


def synthetic_or_real(kb: KnowledgeBase, size: str, count: int) -> list[str]:
    """Questions for the profile: not the timed ones, so no answer comes from a cache."""
    if size == "summit":
        return [q + " today" for q in _eval_questions()[:count]]
    return synthetic_questions(kb, min(count, 300), seed=7)


def _profile(engine: Engine, asked: list[str]) -> dict[str, Any]:
    """cProfile over fresh questions: the functions where the engine's time goes."""
    profiler = cProfile.Profile()
    profiler.enable()
    for n, text in enumerate(asked):
        engine.answer(Question(text, platform="bench", conversation=f"profile:{n}"))
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    rows = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():
        where = _short(filename)
        rows.append({"function": f"{where}:{line}({name})", "calls": calls,
                     "self_s": tottime, "cum_s": cumtime})
    by_self = sorted(rows, key=lambda r: -r["self_s"])[:15]
    by_cum = sorted((r for r in rows if "/bot/" in r["function"] or
                     r["function"].startswith("bot/")), key=lambda r: -r["cum_s"])[:15]
    return {"questions": len(asked), "total_s": total, "per_question_ms":
            total / len(asked) * 1000, "by_self": by_self, "bot_by_cumulative": by_cum}


def _short(filename: str) -> str:
    for marker in ("/site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return Path(filename).name if filename.startswith("/") else filename


# -- the parent --------------------------------------------------------------------------------


def run_child(size: str, system: str, args: argparse.Namespace) -> dict[str, Any]:
    if args.in_process:
        return measure(size, system, questions=args.questions, budget=args.budget,
                       profile=args.profile)
    command = [sys.executable, "-m", "benchmarks.speed", "--child", size, system,
               "--questions", str(args.questions), "--budget", str(args.budget)]
    if args.profile:
        command.append("--profile")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=args.budget * 4 + 900, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{size}/{system} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def ratios(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Scan / engine at each size, and how each system's p50 grows with the fact base."""
    by = {(r["size"], r["system"]): r for r in rows}
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    out: dict[str, Any] = {"scan_over_engine": {}, "growth": {}}
    for size in sizes:
        engine = by.get((size, "engine"))
        if not engine:
            continue
        out["scan_over_engine"][size] = {
            s: by[(size, s)]["p50_ms"] / engine["p50_ms"]
            for s in SYSTEMS[1:] if (size, s) in by and engine["p50_ms"] > 0
        }
    numeric = [s for s in sizes if s.isdigit()]
    if len(numeric) >= 2:
        low, high = numeric[0], numeric[-1]
        for system in SYSTEMS:
            a, b = by.get((low, system)), by.get((high, system))
            if a and b and a["p50_ms"] > 0:
                out["growth"][system] = {
                    "from": low, "to": high,
                    "phrasings": b["phrasings"] / a["phrasings"],
                    "p50": b["p50_ms"] / a["p50_ms"],
                }
    return out


def _print(row: dict[str, Any]) -> None:
    print(f"{row['size']:>7} {row['system']:<16} {row['phrasings']:>8} phrasings  "
          f"build {row['build_s']:7.2f} s  p50 {row['p50_ms']:8.2f} ms  "
          f"p99 {row['p99_ms']:8.2f} ms  {row['qps']:8.1f} q/s  "
          f"index {row['index_mib']:7.1f} MiB (build peak {row['build_peak_mib']:.1f})  "
          f"RSS peak {row['peak_rss_mib']:7.1f} MiB  "
          f"({row['questions']} questions)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES),
                        help="comma-separated: summit and/or numbers of phrasings")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--questions", type=int, default=400, help="questions per run (max)")
    parser.add_argument("--budget", type=float, default=40.0,
                        help="seconds of questions per system and size before it stops")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the engine at each size (after timing it)")
    parser.add_argument("--in-process", action="store_true",
                        help="no child processes (quicker; memory figures then overlap)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "SYSTEM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        size, system = args.child
        result = measure(size, system, questions=args.questions, budget=args.budget,
                         profile=args.profile)
        print(json.dumps(result))
        return 0
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    bad = [s for s in args.sizes if s != "summit" and not s.isdigit()]
    bad += [s for s in systems if s not in SYSTEMS]
    if bad:
        print(f"unknown sizes or systems: {bad}; systems are {', '.join(SYSTEMS)}",
              file=sys.stderr)
        return 2
    load_before = machine()["loadavg"]
    rows = []
    for size in args.sizes:
        for system in systems:
            if system == "engine" and size.isdigit() and int(size) > SEMANTIC_MAX:
                print(f"{size:>7} {system:<16} not measured: the sentence model is measured up to "
                      f"{SEMANTIC_MAX} phrasings", flush=True)
                continue
            row = run_child(size, system, args)
            _print(row)
            rows.append(row)
    data = {
        "rows": rows,
        "ratios": ratios(rows),
        "targets_ms": TARGETS_MS,
        "settings": {"questions": args.questions, "budget_s": args.budget,
                     "in_process": args.in_process, "warm_up": WARM_UP},
        "machine": machine() | {"loadavg_before": load_before},
        "versions": versions("rapidfuzz"),
        "command": "python -m benchmarks.speed " + " ".join(argv if argv is not None
                                                            else sys.argv[1:]),
    }
    for size, by_scan in data["ratios"]["scan_over_engine"].items():
        said = ", ".join(f"{s} {v:.1f}x" for s, v in by_scan.items())
        print(f"{size:>7}: the full scan's p50 over the engine's: {said}")
    for system, g in data["ratios"]["growth"].items():
        print(f"{system}: {g['phrasings']:.0f}x the phrasings ({g['from']} -> {g['to']}), "
              f"p50 x{g['p50']:.1f}")
    for row in rows:
        if "profile" in row:
            print(f"\nengine profile at {row['size']} ({row['profile']['questions']} questions,"
                  f" {row['profile']['per_question_ms']:.2f} ms each under cProfile):")
            for r in row["profile"]["by_self"][:6]:
                print(f"  {r['self_s']:7.3f} s own time  {r['function']}")
    if args.json:
        write_json(args.json, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())

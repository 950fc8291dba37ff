# precwatch: two set-up commands (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types unit bench kb clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python -q -e '.[dev,hub,spark]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/precwatch kb validate
	$(BIN)/precwatch identify examples/listings.jsonl --format table
	$(BIN)/precwatch identify examples/structures.smi --format table
	$(BIN)/precwatch identify examples/declarations.csv --column description --out demo-matches.jsonl --rejects demo-rejects.jsonl
	@echo "JSONL written to demo-matches.jsonl"

lint: $(STAMP)
	$(BIN)/ruff check precwatch tests benchmarks tools
	$(BIN)/ruff format --check precwatch tests benchmarks tools

types: $(STAMP)
	$(BIN)/mypy precwatch

unit: $(STAMP)
	$(BIN)/pytest

test: lint types unit

bench: $(STAMP)
	@$(BIN)/python -m benchmarks

kb: $(STAMP)
	$(BIN)/python tools/build_kb.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache

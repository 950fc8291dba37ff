# precwatch: two set-up commands (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types unit bench kb clean locales demo-hub

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode -e '.[dev,hub,spark,osint]'
	$(BIN)/python -m compileall -q -j 0 precwatch > /dev/null  # bytecode written once, even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/precwatch kb validate
	$(BIN)/precwatch identify examples/listings.jsonl --format table
	$(BIN)/precwatch identify examples/structures.smi --format table
	$(BIN)/precwatch identify examples/declarations.csv --column description --out demo-matches.jsonl --rejects demo-rejects.jsonl
	$(BIN)/precwatch screen examples/declarations_screen.csv --watchlist tests/data/watchlists/ofac-sdn-2024-05-03-excerpt.csv \
		--out demo-screen.jsonl --report demo-report.html --rejects demo-screen-rejects.jsonl
	$(BIN)/precwatch screen examples/declarations_other_schema.csv --map examples/mapping_example.yaml --out demo-other.csv
	$(BIN)/precwatch screen examples/listings_screen.jsonl --kind listings --out demo-listings.parquet
	rm -f demo-market.db
	for d in 2024-03-01 2024-06-01 2024-09-15; do \
		$(BIN)/precwatch market ingest examples/market/made-in-china/$$d --platform made-in-china --captured-at $$d --db demo-market.db || exit 1; \
		$(BIN)/precwatch market ingest examples/market/tradehub/$$d.jsonl --platform tradehub --captured-at $$d --db demo-market.db || exit 1; \
	done
	$(BIN)/precwatch market vendors --format table --watchlist tests/data/watchlists/ofac-sdn-2024-05-03-excerpt.csv --db demo-market.db
	$(BIN)/precwatch market diff 2024-06-01 2024-09-15 --format table --db demo-market.db
	$(BIN)/precwatch market report --out demo-market-report.html --watchlist tests/data/watchlists/ofac-sdn-2024-05-03-excerpt.csv --db demo-market.db
	$(BIN)/precwatch osint timeline examples/osint --report demo-osint-timeline.html
	@echo "identification: demo-matches.jsonl; screening: demo-screen.jsonl, demo-other.csv, demo-listings.parquet; reports: demo-report.html, demo-market-report.html, demo-osint-timeline.html"

lint: $(STAMP)
	$(BIN)/ruff check precwatch tests benchmarks tools
	$(BIN)/ruff format --check precwatch tests benchmarks tools
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy precwatch

unit: $(STAMP)
	$(BIN)/pytest

test: lint types unit

bench: $(STAMP)
	@$(BIN)/python -m benchmarks

kb: $(STAMP)
	$(BIN)/python tools/build_kb.py

# The hub with sample organisations, users and incidents on a fresh SQLite file; prints sign-in links.
demo-hub: $(STAMP)
	rm -f demo-hub.db
	$(BIN)/python -m precwatch.web.demo --db demo-hub.db --port $${PORT:-8000}

LOCALES := precwatch/web/locales
# The pages' message catalogues: extract the strings, merge them into es/zh, compile the .mo files (committed).
locales: $(STAMP)
	$(BIN)/pybabel extract -F $(LOCALES)/babel.cfg -k _ --no-location --omit-header --sort-output -o $(LOCALES)/messages.pot . >/dev/null
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -D messages --no-fuzzy-matching -w 110
	$(BIN)/pybabel compile -d $(LOCALES) -D messages --statistics

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache

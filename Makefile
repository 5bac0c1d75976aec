# Two set-up commands, both from nothing: `make demo` and `make test`.
# Everything is installed from requirements.lock (exact versions, with hashes); `make lock`
# re-resolves it from pyproject.toml at the newest allowed versions (the build backend,
# setuptools and wheel, is locked too: the project installs without build isolation).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: demo test test-long lint bench install lock

$(STAMP): pyproject.toml $(LOCK)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/alex demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest

test-long: $(STAMP)
	$(BIN)/pytest -m slow

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Upgrade every pinned version (within pyproject.toml's ranges) and rewrite the hashes.
lock: $(STAMP)
	$(BIN)/pip install --quiet 'uv>=0.5'
	printf 'setuptools>=68\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --extra test \
		--generate-hashes --universal --python-version 3.11 --upgrade --quiet --output-file $(LOCK)

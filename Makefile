# Two set-up commands, both from nothing: `make demo` and `make test`.
# Everything is installed from requirements.lock (exact versions, with hashes); `make lock`
# re-resolves it from pyproject.toml at the newest allowed versions (the build backend,
# setuptools and wheel, is locked too: the project installs without build isolation).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
PACKAGES := alex bot cj conversations faq i18n notifier store

.PHONY: demo test test-long lint bench install lock i18n-extract i18n-update i18n-compile i18n-check

$(STAMP): pyproject.toml $(LOCK)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	# compat: a plain path entry, not an import hook that every Python start of the venv would run
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --config-settings editable_mode=compat -e .
	# bytecode now, as pip does for any installed package: the editable sources are not compiled
	# otherwise, and where PYTHONDONTWRITEBYTECODE is set every start would compile them again
	$(BIN)/python -m compileall -q $(PACKAGES)
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
	$(BIN)/python -m compileall -q $(PACKAGES)
	$(BIN)/python -m benchmarks

# Upgrade every pinned version (within pyproject.toml's ranges) and rewrite the hashes.
lock: $(STAMP)
	$(BIN)/pip install --quiet 'uv>=0.5'
	printf 'setuptools>=68\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --extra test \
		--generate-hashes --universal --python-version 3.11 --upgrade --quiet --output-file $(LOCK)

# --- user-interface catalogs (docs/languages.md) ---------------------------------------------
LOCALES := i18n/locales
POT := $(LOCALES)/alex.pot
I18N_LANGS = $(shell $(BIN)/python -c 'from i18n.catalogs import LANGUAGES; print(*LANGUAGES)')

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Nn_:1,2 -k gettext -k ngettext:1,2 \
		--add-location=file --sort-output --no-wrap --project=Alex --version=0.1 \
		--copyright-holder="Alex contributors" -o $(POT) alex bot conversations faq notifier

i18n-update: $(STAMP)
	for lang in $(I18N_LANGS); do \
		$(BIN)/pybabel update -D alex -i $(POT) -d $(LOCALES) -l $$lang --no-fuzzy-matching --no-wrap --ignore-obsolete || exit 1; \
	done

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile -D alex -d $(LOCALES) --statistics

i18n-check: $(STAMP)
	$(BIN)/python -m i18n.catalogs

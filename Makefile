# Two set-up commands, both from nothing: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-long lint bench install i18n-extract i18n-update i18n-compile i18n-check

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
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

# --- user-interface catalogs (docs/languages.md) ---------------------------------------------
LOCALES := i18n/locales
POT := $(LOCALES)/alex.pot
I18N_LANGS := es pt fr de ru

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

# Two commands matter: `make run` and `make test`. The rest are their parts.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal

.PHONY: run test setup setup-dev translations lint format bench serve demo clean-instance

run: setup translations
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup-dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

# The Vietnamese catalogue is committed as .po and compiled here (the .mo is not committed).
translations: setup
	$(BIN)/pybabel compile -d portal/translations

# Refresh the catalogue after changing marked strings; then translate the new entries in vi.
extract: setup
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -o portal/translations/messages.pot --no-location --sort-output --width=100 .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete --width=100
	$(BIN)/pybabel compile -d portal/translations

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup-dev translations
	$(BIN)/python tests/bench/run.py

# Polku: `make demo` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo serve test lint typecheck pytest bench messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@UV=$$(scripts/bootstrap-uv) && $$UV sync --frozen --python python3
	@touch $@

demo: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_instruments
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_cohort
	@echo "Polku is at http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@scripts/keep-running $(BIN)/python manage.py db_worker --no-reload --interval 5 -v 0 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

pytest: install
	@scripts/ensure-chromium
	mkdir -p var
	scripts/run-tests

test: lint typecheck pytest

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/rescore.py
	$(BIN)/python bench/project_indicators.py

messages: install
	$(BIN)/python manage.py makemessages --all --no-location --ignore=.venv --ignore=.uv
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=.uv

clean:
	rm -rf $(VENV) .uv var .mypy_cache .ruff_cache .pytest_cache

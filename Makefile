# Two commands: `make run` serves the product with demo data and no services;
# `make test` runs the whole suite against PostgreSQL and Redis (see scripts/test.sh).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install lint format diagrams messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	bash scripts/test.sh

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

diagrams: install
	$(PY) manage.py draw_workflows

# Each app keeps its own catalogue in <app>/locale; locale/ holds templates/ and config/.
APPS := accounts workflows grants purchases documents finance
messages: install
	$(PY) manage.py makemessages -l pl -l en --no-location --ignore=.venv --ignore=tests \
		--ignore=staticfiles $(foreach app,$(APPS),--ignore=$(app))
	for app in $(APPS); do mkdir -p $$app/locale && \
		(cd $$app && ../$(PY) ../manage.py makemessages -l pl -l en --no-location); done
	$(PY) manage.py compilemessages --ignore=.venv

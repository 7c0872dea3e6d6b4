# Two commands: `make run` serves the product with demo data and no services;
# `make test` runs the whole suite against PostgreSQL and Redis (see scripts/test.sh).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install lint format diagrams messages lock

# Installs exactly the locked versions, each checked against its hash (requirements.lock,
# see README "Reproducible installs"), then the project itself without dependencies.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# TEST_ARGS: pytest's arguments, e.g. TEST_ARGS='-m "not browser"'.
test: install
	bash scripts/test.sh $(TEST_ARGS)

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

# Recompute both lock files from pyproject.toml (the newest versions it allows), with
# pip-tools in a throwaway environment; review the diff, run `make test`, commit.
lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet pip-tools
	$(VENV)-lock/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra dev -o requirements.lock pyproject.toml
	$(VENV)-lock/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links -o requirements-production.lock pyproject.toml
	rm -rf $(VENV)-lock

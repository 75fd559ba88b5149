# The two Quick start commands (README): `make serve` and `make test`.
# Everything lives in a local virtual environment, .venv, made on first use.

# Python 3.11 when installed under that name, else python3 (checked below: 3.11 or newer).
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test check install install-test bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "popdash needs Python 3.11 or newer; run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# make serve PORT=8502 when 8501 is taken (another dashboard, another checkout).
PORT ?= 8501

## serve: install and start the dashboard on the bundled sample data (demo store), port $(PORT)
serve: install
	$(BIN)/popdash serve --port $(PORT)

## test: install the test tools and run the whole test suite, a test file at a time on each of 2 workers
# (pytest-xdist; a file stays on one worker so its module fixtures are built once; files start in
# collection order, the long browser files first, not the files of most tests). PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
test: install-test
	$(BIN)/python -m pytest -q $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder)

## check: lint, format check and type check (ruff and mypy, configured in pyproject.toml)
check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: run every benchmark (minutes; not part of the tests)
bench: install-test
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info

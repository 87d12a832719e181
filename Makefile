# The two commands of the README:
#   make lab    set up .venv on first use and open the course in JupyterLab (EDITION=zh: the Chinese edition)
#   make test   set up .venv with the test extras and run every test
PYTHON ?= python3
EDITION ?= en
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test images help

help:
	@echo "make lab    set up .venv (first time) and open the course in JupyterLab (make lab EDITION=zh: 中文版)"
	@echo "make test   set up .venv with the test extras and run the whole test suite"
	@echo "make images regenerate images/ and images/zh/ (Chinese) from lstm_helpers (figures with alt text)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); run: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Jupyter's token authentication stays on: open the URL with ?token=... that it prints.
# Inside a container one is often root, which Jupyter refuses unless told.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

# The server's root is the repository (the chapters link ../images/); it opens chapter 00 of the edition.
lab: $(VENV)/.installed
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=. \
		--ServerApp.default_url=/lab/tree/notebooks/$(if $(filter zh,$(EDITION)),zh/)00_overview.ipynb $(ALLOW_ROOT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

images: $(VENV)/.installed
	$(BIN)/python -m lstm_helpers.figures images
	$(BIN)/python -m lstm_helpers.figures --lang zh images/zh

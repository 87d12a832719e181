# The two commands of the README, for those who have make; each calls course.py, which does the work
# the same way on Windows, macOS and Linux (python course.py lab | test | images):
#   make lab    set up .venv on first use and open the course in JupyterLab (EDITION=zh: the Chinese edition)
#   make test   set up .venv with the test extras and run every test (PYTEST_ARGS="..." go to pytest)
PYTHON ?= python3
EDITION ?= en

.PHONY: lab test images help

help:
	@echo "make lab    set up .venv (first time) and open the course in JupyterLab (make lab EDITION=zh: 中文版)"
	@echo "make test   set up .venv with the test extras and run the whole test suite"
	@echo "make images regenerate images/ and images/zh/ (Chinese) from lstm_helpers (figures with alt text)"

lab:
	$(PYTHON) course.py lab --edition $(EDITION)

test:
	$(PYTHON) course.py test $(PYTEST_ARGS)

images:
	$(PYTHON) course.py images

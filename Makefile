# The two commands of the README:
#   make demo   set up everything, then run the main job on the embedded default
#   make test   set up everything, then run the whole test suite (what CI runs)
#   make test-fast  the edit loop: every test not marked slow (under 2 minutes)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test test-fast clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

demo: venv
	$(BIN)/mccnet demo --out runs/demo

test: venv
	$(BIN)/python -m pytest -q tests
	bash android_demo/core/run_jvm_tests.sh

test-fast: venv
	$(BIN)/python -m pytest -q -m "not slow" tests

clean:
	rm -rf $(VENV) runs

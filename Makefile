# The two commands of the README:
#   make demo   set up everything, then run the main job on the embedded default
#   make test   set up everything, then run the whole test suite (what CI runs)
#   make web    set up the browser demo only (LiteRT.js from npm, Debian's chromium for its test)
#   make test-fast  the edit loop: every test not marked slow (sets up the web demo too:
#                   the `mccnet web` tests serve its built files)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB_STAMP := web_demo/node_modules/.mccnet-installed

.PHONY: venv web demo test test-fast clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

web: $(WEB_STAMP) web_demo/vendor/litert.js

$(WEB_STAMP): web_demo/package.json web_demo/package-lock.json web_demo/setup.sh scripts/apt_install.sh
	bash web_demo/setup.sh

web_demo/vendor/litert.js: $(WEB_STAMP)
	cd web_demo && npm run --silent build

demo: venv
	$(BIN)/mccnet demo --out runs/demo

test: venv web
	$(BIN)/python -m pytest -q tests
	cd web_demo && npm test --silent
	bash android_demo/core/run_jvm_tests.sh
	bash android_demo/typecheck/run_typecheck.sh

test-fast: venv web
	$(BIN)/python -m pytest -q -m "not slow" tests

clean:
	rm -rf $(VENV) runs web_demo/node_modules web_demo/vendor

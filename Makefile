# rossim: two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
BSTAMP := $(VENV)/.installed-bench
SCENARIO ?= scenarios/ros-51.6.toml
OUT ?= out

.PHONY: run test bench lint docs fuzz clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP) $@

$(BSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@touch $(STAMP) $(TSTAMP) $@

run: $(STAMP)
	$(VENV)/bin/rossim run $(SCENARIO) --out $(OUT)

test: $(TSTAMP)
	$(PY) -m pytest -n 2 -q

bench: $(BSTAMP)
	$(PY) benchmarks/run_all.py

lint: $(TSTAMP)
	$(VENV)/bin/ruff check src tests benchmarks tools

docs: $(TSTAMP)
	$(PY) tools/make_docs.py

# Mutation campaign of issue 17 (bad state files, scenarios, options); not part of `make test`.
fuzz: $(TSTAMP)
	$(PY) tools/fuzz.py 1000

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info

# rossim: two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
BSTAMP := $(VENV)/.installed-bench
SCENARIO ?= scenarios/ros-51.6.toml
OUT ?= out
WEB    := web/node_modules/.package-lock.json
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test bench lint docs doc-figures docs-images fuzz clean serve web chromium javac

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

# Open MCT from the npm registry, exactly as web/package-lock.json says (web/node_modules).
$(WEB): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web: $(WEB)

# The browser tests drive Debian's Chromium (apt package `chromium`): installed here if missing.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "make: $(CHROMIUM) missing: run 'sudo apt-get install -y chromium' (Debian package chromium)"; exit 2; fi; fi

# `rossim serve` on the reference run (made first if there is none): Open MCT at :8080.
serve: $(STAMP) $(WEB)
	@[ -f $(OUT)/archive.duckdb ] || $(MAKE) run
	$(VENV)/bin/rossim serve $(OUT)

test: $(TSTAMP) $(WEB) chromium
	$(PY) -m pytest -n 2 -q --durations=15

# The Orekit benchmark peer is Java compiled by the bench (tools/orekit_java.py) with a JDK's
# javac (Debian openjdk-17-jdk-headless): installed here if missing; without it that row
# reports "Orekit not run".
javac:
	@if ! command -v javac >/dev/null && [ ! -x "$$JAVA_HOME/bin/javac" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless; \
	  else echo "make: javac missing: run 'sudo apt-get install -y openjdk-17-jdk-headless' for the Orekit peer"; fi; fi

bench: $(BSTAMP) javac
	$(PY) benchmarks/run_all.py

lint: $(TSTAMP)
	$(VENV)/bin/ruff check src tests benchmarks tools examples

docs: $(TSTAMP)
	$(PY) tools/make_docs.py
	$(PY) tools/doc_figures.py

# Only the figures marked in the hand-written pages (tools/doc_figures.toml): runs ros-51.6,
# ros-97 and a few cheap commands, rewrites each <!--fig:KEY-->...<!--/fig--> in place.
doc-figures: $(TSTAMP)
	$(PY) tools/doc_figures.py

# The mission-control screenshots of docs/mission-control.md, taken by the browser tests.
docs-images: $(TSTAMP) $(WEB) chromium
	ROSSIM_ARTIFACTS=docs/img/tests $(PY) -m pytest -q tests/serve/test_browser.py
	rm -f docs/img/tests/*-tree.png docs/img/tests/*-fake-engine.png

# Mutation campaign of issue 17 (bad state files, scenarios, options); not part of `make test`.
fuzz: $(TSTAMP)
	$(PY) tools/fuzz.py 1000

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info

# symnet — set-up, demo and tests. `make demo` and `make test` create .venv and install what is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
BASE   := $(VENV)/.installed-package
STAMP  := $(VENV)/.installed

# Debian packages the tests need: pdflatex compiles every derivation's LaTeX and the tour;
# Chromium opens the tour's HTML (driven by Playwright, which uses this browser and downloads none).
SYSTEM_PACKAGES := texlive-latex-base texlive-latex-recommended chromium

.PHONY: demo explore test bench venv system-packages clean

venv: $(STAMP)

# The package alone: what `make demo` needs.
$(BASE): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(BASE)

# With the test extra and PyTorch: what `make test` and `make bench` need.
$(STAMP): $(BASE)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet -e '.[torch]' || echo "PyTorch could not be installed: its cross-checks will be skipped"
	touch $(STAMP)

demo: $(BASE)
	$(VENV)/bin/symnet tour --out tour --pdf

explore: $(BASE)
	$(PY) examples/explore_mlp.py

system-packages:
	@{ command -v pdflatex >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; } || { \
	  echo "installing $(SYSTEM_PACKAGES) (pdflatex and Chromium, for the LaTeX and HTML tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	} || echo "could not install $(SYSTEM_PACKAGES): those tests skip outside CI and fail in CI"

test: $(STAMP) system-packages
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/forward.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis tour

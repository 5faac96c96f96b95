# symnet — set-up, demo and tests. `make demo` and `make test` create .venv and install what is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Debian packages the tests need: pdflatex compiles every derivation's LaTeX.
SYSTEM_PACKAGES := texlive-latex-base texlive-latex-recommended

.PHONY: demo test bench venv system-packages clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet -e '.[torch]' || echo "PyTorch could not be installed: its cross-checks will be skipped"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/explore_mlp.py

system-packages:
	@command -v pdflatex >/dev/null 2>&1 || { \
	  echo "installing $(SYSTEM_PACKAGES) (pdflatex, for the LaTeX tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	} || echo "could not install TeX Live: the pdflatex test skips outside CI and fails in CI"

test: $(STAMP) system-packages
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/forward.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis

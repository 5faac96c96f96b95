# symnet — set-up, demo and tests. `make demo` and `make test` create .venv and install what is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
BASE   := $(VENV)/.installed-package
STAMP  := $(VENV)/.installed

# Debian packages the tests need: pdflatex compiles every derivation's LaTeX and the tour;
# Chromium opens the tour's HTML (driven by Playwright, which uses this browser and downloads none);
# bubblewrap (bwrap) is for the sandbox of `symnet check --exec` (tests that use it require it).
SYSTEM_PACKAGES := texlive-latex-base texlive-latex-recommended chromium bubblewrap
# The commands those packages provide: all present, nothing is installed.
SYSTEM_COMMANDS := pdflatex chromium bwrap

.PHONY: demo explore test bench mutate corpus venv system-packages clean

venv: $(STAMP)

# The package alone: what `make demo` needs.
$(BASE): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(BASE)

# With the test extra and PyTorch: what `make test` and `make bench` need. PyTorch is an oracle of the
# tests: if it cannot be installed, make stops here rather than run the tests without it.
$(STAMP): $(BASE)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet -e '.[torch]'
	touch $(STAMP)

demo: $(BASE)
	$(VENV)/bin/symnet tour --out tour --pdf

explore: $(BASE)
	$(PY) examples/explore_mlp.py

# Outside CI a failed install is a warning (the tests that need a missing command skip, saying why);
# under CI (CI=true) it stops `make test`, as those tests would fail anyway.
system-packages:
	@missing=; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	[ -z "$$missing" ] || { \
	  echo "installing $(SYSTEM_PACKAGES) (missing:$$missing)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; } || { \
	    case "$$(printf %s "$${CI:-}" | tr A-Z a-z)" in ""|0|false|no) echo "could not install $(SYSTEM_PACKAGES): the tests that need them will skip";; \
	      *) echo "could not install $(SYSTEM_PACKAGES) under CI: stopping" >&2; exit 1;; esac; }; }

test: $(STAMP) system-packages
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/forward.py

# symnet check on the corpus of real teaching texts (tests/corpus): the table of the README.
corpus: $(STAMP)
	$(PY) tools/corpus.py

# Mutation testing (mutmut, driven by tools/mutate.py): a table of killed and surviving mutants per module.
# `make mutate MODULES=symnet/prove.py` picks targets; MUTATE_JOBS mutants run at once (1: the machine is shared).
MODULES     ?=
MUTATE_JOBS ?= 1
$(VENV)/.installed-mutate: $(STAMP)
	$(PY) -m pip install --quiet -e '.[mutate]'
	touch $@

mutate: $(VENV)/.installed-mutate
	$(PY) tools/mutate.py --max-children $(MUTATE_JOBS) $(MODULES)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis tour mutants

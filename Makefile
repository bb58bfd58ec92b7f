# The two commands: `make book` and `make test` (both create .venv with the pinned environment).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CH ?= 01
ARGS ?=

.PHONY: book new-chapter test test-fast test-float32 lint bench check-kept check-site publish chapter html venv clean help

help:
	@echo "make book     create .venv, execute every chapter that changed (quick profile), build _build/html"
	@echo "make test     create .venv, run the test suite"
	@echo "make test-fast   the edit loop: unit, contract and golden tests (no chapter runs, no real model)"
	@echo "make test-float32   the suite on the float32 path of an AVX2-only CPU, on any x86 CPU"
	@echo "make lint     ruff: lint and format check (configured in pyproject.toml)"
	@echo "make bench    benchmarks -> bench/results.json"
	@echo "make check-kept  kept paper-size summaries not computed by the current code"
	@echo "make publish  make book, check the site, commit it to the local gh-pages branch (no push)"
	@echo "make check-site   every page of the built book in headless Chromium, file:// and a server"
	@echo "make chapter CH=01 ARGS=\"-p N_PAIRS 100\"   re-execute one chapter and rebuild the book"
	@echo "make html     rebuild the HTML from the executed chapters only"
	@echo "make new-chapter NAME=my_topic TITLE=\"My topic\"   a chapter from the template before the findings page (which moves up by one), with its golden numbers"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	# torch first: the pinned CPU build, so that nothing pulls a CUDA build
	$(BIN)/pip install --disable-pip-version-check -q torch==2.13.0
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/python -m neuron_utils run all

chapter: $(STAMP)
	$(BIN)/python -m neuron_utils run $(CH) $(ARGS)

# the template's folder neuron_utils/chapters/chNN_$(NAME) before the findings page (which moves
# up by one), its _toc.yml line and its golden numbers (golden.json); all or nothing. The title
# reaches the command through the environment ("$$TITLE"), so that any quote in it is kept;
# N=NN: only the findings page's number, which the chapter takes anyway
new-chapter: $(STAMP)
	$(BIN)/python -m neuron_utils new-chapter $(NAME) $(if $(TITLE),"$$TITLE") $(if $(N),--number $(N))

html: $(STAMP)
	$(BIN)/python -m neuron_utils build

test: $(STAMP)
	$(BIN)/python -m pytest -q --durations=15

# the edit loop: what needs no chapter run, no real model and no injected fault
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q --durations=10 -m "not smoke and not integration and not faults"

# torch's, oneDNN's and MKL's kernels capped at AVX2: dtype auto is float32 and runs at an
# AVX2 machine's speed, also on a CPU with native bf16 (how the suite's float32 time is checked)
test-float32: $(STAMP)
	ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 \
		$(BIN)/python -m pytest -q --durations=30

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/run.py

# the kept paper-size summaries that are not what the current code computes (none: prints nothing)
check-kept: $(STAMP)
	$(BIN)/python -m neuron_utils check-kept

# the executed book onto the local gh-pages branch, after the checks a reader's browser would
# fail (links, figures, downloads); nothing is pushed (.github/workflows/book.yml deploys it)
publish: book
	$(BIN)/python -m neuron_utils publish

# every page in headless Chromium (Debian's chromium), from file:// and from a static server
check-site: $(STAMP)
	$(BIN)/python -m neuron_utils check-site

clean:
	rm -rf _build book/chapters book/results

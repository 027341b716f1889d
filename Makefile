# treatypress: `make pdf` builds every document, `make test` runs the tests.
# Both bootstrap what they need on a fresh machine: a virtual environment in .venv/ made
# from pyproject.toml, and the system libraries WeasyPrint needs (installed when root on Debian,
# otherwise listed with the command to install them).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TP     := $(BIN)/treatypress

.DEFAULT_GOAL := pdf
.PHONY: archival pdf test check watch bench previews pack lint clean doctor fonts schema sysdeps venv

$(STAMP): pyproject.toml
	@tools/system-deps.sh install
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,lint]'
	@touch $@

venv: $(STAMP)

sysdeps:
	@tools/system-deps.sh install

## pdf: build every document for every treaty in content/ into build/ (only what changed)
pdf: $(STAMP)
	@tools/system-deps.sh fonts $$($(TP) fonts --packages)
	@$(TP) build

## archival: tagged PDF/A-3a editions, with the content file attached, for school archives
archival: $(STAMP)
	@$(TP) build --archival

## test: run the test suite (builds into its own folder; never deletes build/)
test: $(STAMP)
	@tools/system-deps.sh install-test
	@$(BIN)/python -m pytest -q

## check: validate content without rendering
check: $(STAMP)
	@$(TP) check

## watch: rebuild when content, templates or styles change
watch: $(STAMP)
	@$(TP) watch

## fonts: recut the Chinese font subset from the pinned source font (fonts-noto-cjk)
fonts: $(STAMP)
	@tools/system-deps.sh install-all
	@$(TP) fonts

## schema: regenerate the JSON Schema editors use and the field reference (docs/)
schema: $(STAMP)
	@$(TP) schema --out content/treaty.schema.json
	@$(TP) reference --out docs/content-reference.md

## bench: the full build against WeasyPrint's floor and the plain ways, no-op, watch, memory, scale (about 20 min); bench/results/bench.json and the README table
bench: $(STAMP)
	@$(BIN)/python tools/bench.py

## previews: every page of every document as PNG, under build/<slug>/previews/ (the README's pictures too)
previews: pdf
	@$(TP) previews
	@cp build/sino-soviet-1950/previews/sino-soviet-1950-fact-sheet-a4-1.png docs/sino-soviet-1950-fact-sheet.png
	@cp build/sino-soviet-1950/previews/sino-soviet-1950-handout-a4-1.png docs/sino-soviet-1950-handout.png

## pack: build/treatypress-pack.zip, every PDF and web page with an index saying what each is for
pack: pdf
	@$(TP) pack

## lint: ruff (rules and format), mypy --strict, and the schema and field reference are current
lint: $(STAMP)
	@$(BIN)/ruff check
	@$(BIN)/ruff format --check
	@$(TP) schema | diff -u content/treaty.schema.json - || { echo "content/treaty.schema.json is out of date: run make schema" >&2; exit 1; }
	@$(TP) reference | diff -u docs/content-reference.md - || { echo "docs/content-reference.md is out of date: run make schema" >&2; exit 1; }
	@$(BIN)/mypy

## doctor: report what is installed and what is missing
doctor:
	@echo "Python:  $$($(PYTHON) --version 2>&1)"
	@test -x $(BIN)/python && echo "venv:    $(VENV) ($$($(BIN)/python -c 'import weasyprint; print("WeasyPrint", weasyprint.__version__)' 2>&1))" || echo "venv:    not yet made (make pdf makes it)"
	@echo "System packages:"
	@tools/system-deps.sh check || true

## clean: remove build output (the virtual environment stays)
clean:
	rm -rf build

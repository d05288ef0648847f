# The README's commands. `make book` and `make test` work on a fresh clone with Python 3.10+ and
# make: they create .venv and install what they need from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SPHINX_OPTS ?= -n -W --keep-going
BUILD  := _build

.DEFAULT_GOAL := help
.PHONY: help book pdf tex-packages test serve bench clean lint

# What `make pdf` needs from Debian (README, "The book as a PDF"); poppler-utils is for the
# tests that read the PDF back.
TEX_PACKAGES := texlive-xetex texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended latexmk fonts-freefont-otf fonts-dejavu-core poppler-utils

help:
	@echo "make book    build the HTML book into $(BUILD)/html (creates $(VENV) on first use)"
	@echo "make pdf     build the whole book as one PDF, $(BUILD)/latex/rnnbook.pdf (needs TeX Live)"
	@echo "make test    run the tests (unit tests, the book build, browser tests when Chromium is there)"
	@echo "make serve   rebuild and reload the book in your browser as you edit a chapter"
	@echo "make bench   run the benchmarks and print their tables"
	@echo "make lint    ruff and mypy"
	@echo "make clean   remove $(BUILD) (the built book and the execution cache)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "rnnbook needs Python 3.10 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per set of extras, remade whenever pyproject.toml changes. The package is installed in
# editable mode, so the book's kernels import the rnnbook of this working tree.
$(VENV)/.book.stamp: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[book]'
	@touch $@

$(VENV)/.test.stamp: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[book,test]'
	@touch $(VENV)/.book.stamp $@

book: $(VENV)/.book.stamp
	$(BIN)/sphinx-build -b html $(SPHINX_OPTS) . $(BUILD)/html -d $(BUILD)/doctrees
	@echo "The book is in $(BUILD)/html/index.html"

# The LaTeX build reuses the HTML build's execution cache and doctrees (conf.py), so nothing is
# executed twice; the HTML build that follows copies the PDF into the HTML book and adds it to
# every page's download menu.
pdf: $(VENV)/.book.stamp
	@for tool in xelatex latexmk; do command -v $$tool >/dev/null 2>&1 || { \
		echo "make pdf needs TeX Live ($$tool is missing). On Debian or Ubuntu:"; \
		echo "  sudo apt-get install --no-install-recommends $(TEX_PACKAGES)"; exit 1; }; done
	$(BIN)/sphinx-build -b latex $(SPHINX_OPTS) . $(BUILD)/latex -d $(BUILD)/doctrees
	$(MAKE) -C $(BUILD)/latex all-pdf LATEXMKOPTS="-interaction=nonstopmode -halt-on-error -quiet"
	$(BIN)/sphinx-build -b html $(SPHINX_OPTS) . $(BUILD)/html -d $(BUILD)/doctrees
	@echo "The book is in $(BUILD)/latex/rnnbook.pdf, and offered by $(BUILD)/html"

tex-packages:  # for .ci/run, which installs them
	@echo $(TEX_PACKAGES)

test: $(VENV)/.test.stamp
	$(BIN)/python -m pytest $(PYTEST_ARGS)

serve: $(VENV)/.book.stamp
	$(BIN)/sphinx-autobuild $(SPHINX_OPTS) . $(BUILD)/html -d $(BUILD)/doctrees \
		--watch rnnbook --ignore '$(BUILD)/*' --ignore '$(VENV)/*' --open-browser

bench: $(VENV)/.test.stamp
	$(BIN)/python -m benchmarks

lint: $(VENV)/.test.stamp
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(BUILD)

# Two commands: `make demo` and `make test`. Both create the environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Headless Chromium (Debian's package) draws the papers for the accessibility tests and prints PDFs;
# poppler-utils' pdfinfo checks the PDFs are tagged. Both are installed if either is missing.
CHROMIUM := $(shell command -v chromium || command -v chromium-browser)
PDFINFO  := $(shell command -v pdfinfo)
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test env chromium clean-outputs

env: $(STAMP)

chromium:
ifeq ($(and $(CHROMIUM),$(PDFINFO)),)
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium poppler-utils
endif

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/scrutiny demo

test: $(STAMP) chromium
	$(BIN)/python -m pytest

clean-outputs:
	rm -rf outputs/20*

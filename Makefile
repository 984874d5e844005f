# Safehub: `make demo` sets everything up and runs the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD := src/safehub/static/build
GOVUK := node_modules/govuk-frontend/dist/govuk
export SAFEHUB_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo setup assets test test-fast lint browser-deps lock clean

demo: setup
	mkdir -p "$(SAFEHUB_VAR_DIR)"
	$(BIN)/safehub migrate --noinput
	$(BIN)/safehub load_demo
	$(BIN)/safehub runserver 127.0.0.1:8000

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend from the npm package, compiled with a system font (see frontend/safehub.scss).
assets: $(BUILD)/safehub.css

$(BUILD)/safehub.css: node_modules/.installed frontend/safehub.scss
	mkdir -p $(BUILD)
	node_modules/.bin/sass --pkg-importer=node --no-source-map --style=compressed --quiet-deps \
		frontend/safehub.scss $(BUILD)/safehub.css
	cp $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map $(BUILD)/
	rm -rf $(BUILD)/assets && cp -r $(GOVUK)/assets $(BUILD)/assets

# Browser tests drive Debian's Chromium (never a downloaded browser).
browser-deps:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests (needs root)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium chromium-driver poppler-utils fonts-liberation; }

test: setup browser-deps
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup

lint: setup
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)
	$(BIN)/mypy src/safehub
	$(BIN)/lint-imports

# Re-pin every installed package after changing pyproject.toml's dependencies.
lock: $(VENV)/.installed
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) node_modules $(BUILD) var

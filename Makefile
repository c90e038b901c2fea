# Nextup: the two commands a new machine needs (see README.md).
#   make site   - install what a build needs, build the sample site into public/
#   make test   - install what the tests need (Python, Node packages, Chromium), run every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# apt needs root; CI runs as root, a laptop goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8000

.PHONY: site serve cms test test-python test-js setup setup-test clean bench

site: $(VENV)/.site-installed
	$(PY) build.py build

serve: $(VENV)/.site-installed
	$(PY) build.py serve --port $(PORT)

# The CMS on this computer: Decap's local proxy (127.0.0.1:8081, no log-in) beside `serve`;
# open http://localhost:$(PORT)/admin/ and saving writes into content/. Ctrl+C stops both.
cms: $(VENV)/.site-installed node_modules/.installed
	@PORT=8081 BIND_HOST=127.0.0.1 node node_modules/decap-server/dist/index.js & proxy=$$!; \
	  trap 'kill $$proxy 2>/dev/null' EXIT INT TERM; $(PY) build.py serve --port $(PORT)

# pytest and node's tests side by side, pytest in two processes (pytest-xdist; a test file's
# tests stay in one, as their module fixtures expect): node's take a few minutes, pytest's the
# rest, and the machine has two cores (the suite's budget is 15 minutes). `set -m` gives node's job its own process group and normal
# Ctrl+C handling: without job control a background job ignores SIGINT, and the serve tests'
# Ctrl+C would not reach the server. Node's output is shown when both are done.
test: setup-test
	@bash -c 'set -m; node --test tests/js/ tests/browser/ > .test-node.log 2>&1 & node=$$!; \
	  trap "kill -- -$$node 2>/dev/null" EXIT; \
	  $(PY) -m pytest -n 2 --dist loadfile; python=$$?; wait $$node; js=$$?; trap - EXIT; cat .test-node.log; \
	  echo "pytest: exit $$python; node --test: exit $$js"; [ $$python = 0 ] && [ $$js = 0 ]'

setup: $(VENV)/.site-installed
setup-test: $(VENV)/.test-installed node_modules/.installed /usr/bin/chromium java

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.site-installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium: browser tests drive it with playwright-core (no browser download).
/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# The W3C HTML checker (npm vnu-jar) runs on Java; machines of this kind have it, others get it.
.PHONY: java
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; }

# After changing a visitor-facing message: the template locale/messages.pot, extracted from the
# code and templates, and every catalogue updated from it (README, Translating Nextup).
.PHONY: translations
translations: $(VENV)/.site-installed
	$(VENV)/bin/pybabel -q extract -F locale/babel.cfg --sort-by-file --add-location=file \
	  --no-wrap --project=Nextup --copyright-holder="Nextup's translators" -c TRANSLATORS: \
	  -o locale/messages.pot .
	$(VENV)/bin/pybabel -q update -i locale/messages.pot -d locale --no-wrap --ignore-obsolete

# The benchmark against Hugo (docs/performance.md); a few minutes.
bench: $(VENV)/.site-installed /usr/bin/hugo
	$(PY) bench/run.py

/usr/bin/hugo:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq hugo

clean:
	rm -rf public $(VENV) node_modules .pytest_cache

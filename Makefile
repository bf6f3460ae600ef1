# The two commands: `make run` (the API on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installs come from the lock files in requirements/ (exact versions with hashes): two clones a
# week apart install the same packages. `make lock` re-resolves after pyproject.toml changes;
# `make upgrade` moves every pin to the newest release pyproject.toml allows.
LOCK := requirements/dev.txt
UV := uv==0.13.9
COMPILE = $(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 -q
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock upgrade browser wrk nginx run test lint openapi bench bench-quick bench-scale clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

lock upgrade: install
	$(BIN)/python -m pip install -q --disable-pip-version-check $(UV)
	$(COMPILE) $(if $(filter upgrade,$@),--upgrade) -o requirements/app.txt
	$(COMPILE) $(if $(filter upgrade,$@),--upgrade) --extra test --extra bench -o $(LOCK)

browser:
	@# The browser tests drive Debian's chromium: add it when missing and we are root.
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "make: could not install chromium; the browser tests will be skipped"

wrk:
	@# The benchmark (and tests/test_bench.py) drive Debian's wrk: add it when missing and root.
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
	  echo "make: could not install wrk; the benchmark test will be skipped"

nginx:
	@# tests/test_shared_cache.py runs Debian's nginx (deploy/nginx.conf): add it when missing and root.
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } || \
	  echo "make: could not install nginx; the shared-cache tests will be skipped"

# The mail worker runs beside the server and stops with it; without SMTP_HOST it writes each
# mail (verification and reset links included) to this terminal. The worker writes the links,
# so it is the one that needs PUBLIC_URL: this server's, unless one is set.
run: install
	$(BIN)/storeapi db upgrade
	export PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)}; \
	  $(BIN)/storeapi worker & trap 'kill $$!' EXIT INT TERM; \
	  $(BIN)/storeapi serve --host $(HOST) --port $(PORT)

# The OpenAPI document, committed so that every change to the contract is a reviewed diff;
# tests/test_openapi_document.py fails while the served one differs from it.
# The contract: the committed OpenAPI document, and the TypeScript client's types made from it.
openapi: install
	$(BIN)/storeapi openapi --output docs/openapi.json
	cd clients/typescript && { [ -d node_modules ] || npm ci --silent; } && \
	  npm run -s generate -- ../../docs/openapi.json

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install browser wrk nginx lint
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The benchmark (bench/README.md): SQLite, and PostgreSQL too when BENCH_DATABASE_URL is set
# (to this host: through its Unix socket when there is one; BENCH_PG_TCP=1 keeps TCP).
BENCH_ITEMS ?= 1000000
bench: install wrk
	$(BIN)/python -m bench.run --items $(BENCH_ITEMS) $(BENCH_ARGS)

bench-quick: install wrk
	$(BIN)/python -m bench.run --items 10000 --duration 3 --warmup 1 $(BENCH_ARGS)

# Reads with a replica against the primary alone, nginx's cache against the origin (bench/scale.py).
bench-scale: install wrk nginx
	$(BIN)/python -m bench.scale $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache storeapi.db*

# The two commands of the quick start: `make demo` and `make test`.
# They need nothing but Python 3.11 and make: the virtual environment is created here.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# The lock is written by uv, pinned here: `make lock` installs exactly this version.
UV_VERSION := 0.13.8

.PHONY: demo test lint typecheck pytest bench clean lock lock-upgrade

# Every package comes from the lock, each checked against its hashes; the project itself is
# then installed on top without resolving anything (--no-deps), built with the setuptools of
# the lock (--no-build-isolation), so nothing unpinned is downloaded. The dry run last proves
# the lock still covers pyproject.toml: it fails when a dependency was added without `make lock`.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip install --quiet --dry-run --no-index --no-build-isolation -e '.[dev]' \
		|| { echo "$(LOCK) does not cover pyproject.toml: run 'make lock'" >&2; exit 1; }
	touch $(STAMP)

# Regenerate the lock after a change of pyproject.toml: one command, for Python 3.11 on Linux
# x86_64 whatever machine runs it. Versions already in the lock are kept unless the change
# needs others (`make lock-upgrade` moves everything to the newest allowed versions).
# setuptools comes from stdin: it is the build backend, needed by the editable install.
UV_COMPILE = printf 'setuptools>=77\n' | $(BIN)/uv pip compile pyproject.toml - --extra dev \
	--generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	--custom-compile-command "make lock" --quiet -o $(LOCK)

# uv lives in the project's virtual environment, at exactly UV_VERSION.
define ensure_uv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/uv --version 2>/dev/null | grep -q '^uv $(UV_VERSION)' \
		|| $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
endef

lock:
	$(ensure_uv)
	$(UV_COMPILE)

lock-upgrade:
	$(ensure_uv)
	$(UV_COMPILE) --upgrade

demo: $(STAMP)
	$(BIN)/rcf demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy rcf

pytest: $(STAMP)
	$(BIN)/rcf makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/evaluate.py
	$(BIN)/python bench/dsn.py
	bash bench/http.sh

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

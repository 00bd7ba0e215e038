#!/usr/bin/env sh
# Regenerate the pinned, hashed lock files from pyproject.toml (needs `pip install uv`).
set -eu
cd "$(dirname "$0")/.."
uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header --no-annotate \
  -o requirements.lock
uv pip compile pyproject.toml --group dev --python-version 3.11 --generate-hashes --no-header \
  --no-annotate -o requirements-dev.lock

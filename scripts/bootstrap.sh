#!/usr/bin/env bash
# Sets up everything a fresh clone needs, and is cheap to run again:
# .venv with the Python packages, front-end packages from the npm registry copied into
# bangfu/static/vendor/, compiled translations. Called by scripts/serve and scripts/test.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  echo "» creating .venv with $PY"
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "» installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi

npm_stamp="node_modules/.installed-$( (cat package.json; cat package-lock.json 2>/dev/null || true) | sha1sum | cut -c1-12)"
if [ ! -f "$npm_stamp" ]; then
  echo "» installing front-end packages"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  touch "$npm_stamp"
fi
vendor=bangfu/static/vendor
mkdir -p "$vendor"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$vendor/echarts.min.js"

if ! command -v msgfmt >/dev/null 2>&1; then
  echo "» installing gettext (msgfmt) from Debian's packages"
  apt-get update -qq && apt-get install -y -qq gettext >/dev/null
fi
(cd bangfu && ../.venv/bin/django-admin compilemessages -v 0 --ignore='.venv/*')

# reelforge: `make run` renders the example and serves the editor; `make test` runs every check.
PY := .venv/bin/python
EXAMPLE := examples/smartbottle

.PHONY: setup run test lint typecheck pytest webtest e2e example bench schema

setup:
	bash scripts/setup.sh

example: setup
	$(PY) scripts/make_example_assets.py $(EXAMPLE)/assets
	$(PY) -m reelforge.cli render $(EXAMPLE)/project.json -o out/smartbottle.mp4

run: example
	$(PY) -m reelforge.cli serve --host 127.0.0.1 --port 8000 --data-dir reelforge-data

lint: setup
	.venv/bin/ruff check src tests bench scripts
	.venv/bin/ruff format --check src tests bench scripts

typecheck: setup
	.venv/bin/mypy

pytest: setup
	$(PY) -m pytest -q

webtest: setup
	cd web && npm run typecheck --silent && npm test --silent

e2e: setup
	cd web && npx playwright test

test: setup lint typecheck pytest webtest e2e

schema: setup
	$(PY) -m reelforge.cli schema > docs/project.schema.json

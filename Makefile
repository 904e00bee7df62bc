# Two commands for a newcomer: `make run` and `make test`. Everything else is here for the team.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
CONTENT ?= articles
INDEX ?= var/index
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install model index messages catalogs run serve test lint eval bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

model: install
	$(PY) -m indexer export-model

index: model
	$(PY) -m indexer update --content $(CONTENT) --index $(INDEX)

# The pages' message catalogs: `make catalogs` extracts the strings and updates webui/translations/*/messages.po
# (then translate the new entries); `make messages` compiles them to the .mo files the app reads.
PYBABEL := $(VENV)/bin/pybabel
catalogs: install
	$(PYBABEL) extract -F babel.cfg -k N_ -k Nn_:1,2 --no-location --sort-output --omit-header -o webui/translations/messages.pot .
	$(PYBABEL) update -i webui/translations/messages.pot -d webui/translations --no-fuzzy-matching --ignore-obsolete -w 120

messages: install
	$(PYBABEL) compile -d webui/translations --statistics

run: index messages serve

serve: install
	KB_INDEX_DIR=$(INDEX) KB_CONTENT_DIR=$(CONTENT) $(VENV)/bin/gunicorn -c python:server.gunicorn_conf --workers $(WORKERS) \
		--bind $(HOST):$(PORT) --timeout 120 --access-logfile - server.wsgi:app

test: model messages
	bash scripts/install_browser.sh
	$(PY) -m pytest

lint: install
	$(PY) -m kb lint $(CONTENT)

eval: index
	for mode in hybrid lexical semantic; do $(PY) -m kb eval --index $(INDEX) --queries tests/queries_blind --queries tests/queries --mode $$mode; done
	$(PY) -m kb eval --index $(INDEX) --tickets tests/tickets_blind/dev.jsonl --tickets tests/tickets_blind/heldout.jsonl

bench: index
	$(PY) bench/search_bench.py --index $(INDEX) --scale 10
	$(PY) bench/assist_bench.py --index $(INDEX)
	$(PY) bench/ui_bench.py --index $(INDEX)
	$(PY) bench/index_bench.py

clean:
	rm -rf var .pytest_cache

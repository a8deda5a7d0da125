.PHONY: run test bench lint frontend demo-data clean help

help:
	@echo "make run    set up and run the service with demo data on http://127.0.0.1:8000"
	@echo "make test   set up and run lint, type checks and every test on SQLite and PostgreSQL"
	@echo "make bench  run the benchmarks (GROWTH=1: casework also at twice the cases)"

run:
	scripts/run.sh

test:
	scripts/test.sh

bench:
	scripts/bench.sh $(if $(GROWTH),--growth)

lint:
	scripts/bootstrap.sh
	.venv/bin/ruff check .
	.venv/bin/mypy .

frontend:
	cd frontend && npm ci && npm run build

clean:
	rm -rf .venv var .pytest_cache .mypy_cache .ruff_cache

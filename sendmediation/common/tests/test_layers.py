"""Imports point one way: every contract in pyproject.toml's [tool.importlinter] is kept.

A broken contract fails this test, and the message is import-linter's report: the contract's name
and each chain of imports that breaks it. docs/decisions/0004-common-app-and-one-way-imports.md
says what the contracts are and why.
"""

from pathlib import Path

import importlinter.api  # noqa: F401 - importing it configures import-linter
import pytest
from importlinter.application.use_cases import lint_imports

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_every_import_contract_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    kept = lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)

    report = capsys.readouterr().out
    assert kept, report
    assert "0 broken" in report and " kept" in report, report

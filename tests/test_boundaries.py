"""The architecture's boundaries (core is pure, only ui imports Qt) as import-linter contracts."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 7 kept, 0 broken" in result.stdout


def test_modules_stay_small():
    too_big = {str(p.relative_to(ROOT)): n for pkg in ("counter_app", "provincial_server")
               for p in (ROOT / pkg).rglob("*.py")
               if (n := len(p.read_text("utf-8").splitlines())) > 450}
    assert too_big == {}


def test_the_faces_never_open_a_transaction_or_touch_the_engine():
    """import-linter sees imports; a face could still call ``app.uow()`` or ``app.db`` on the
    object it was given. Every window and CLI action goes through a service instead."""
    import re

    pattern = re.compile(r"\.(uow|read_uow)\(|\.db\b|\.session\b|SqlUnitOfWork")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for face in ("ui", "cli") for p in (ROOT / "counter_app" / face).rglob("*.py")
             for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []

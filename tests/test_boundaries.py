"""The architecture's boundaries (core is pure, only ui imports Qt) as import-linter contracts."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken" in result.stdout


def test_modules_stay_small():
    too_big = {str(p.relative_to(ROOT)): n for pkg in ("counter_app", "provincial_server")
               for p in (ROOT / pkg).rglob("*.py")
               if (n := len(p.read_text("utf-8").splitlines())) > 600}
    assert too_big == {}

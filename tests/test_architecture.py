"""The layer contract holds: apps import only from the apps below them."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_import_layers_are_respected():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

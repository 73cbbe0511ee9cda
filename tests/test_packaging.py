"""The wheel: built for real from a copy of the checkout, then listed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv*", ".ci-venvs", "build", "dist", "*.egg-info",
                                    "__pycache__", ".*_cache", ".hypothesis", "screenshots")


def test_the_wheel_ships_the_code_its_types_fonts_and_licenses(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w",
                           str(tmp_path / "dist"), str(source)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    # setuptools' warnings: a data folder missing from the packages, the old license table.
    for warning in ("absent from", "Deprecat", "is deprecated"):
        assert warning not in log, [line for line in log.splitlines() if warning in line]
    (wheel,) = (tmp_path / "dist").glob("potato_sandbox-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {p.relative_to(REPO).as_posix() for p in (REPO / "sandbox").rglob("*.py")}
    assert code and code <= names, sorted(code - names)
    info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    assert {"sandbox/py.typed", "sandbox/data/fonts/DejaVuSansMono.ttf",
            "sandbox/data/fonts/LICENSE-DejaVu.txt", f"{info}/licenses/LICENSE",
            f"{info}/entry_points.txt"} <= names
    assert not [n for n in names if n.startswith(("tests/", "scripts/", "games/"))]
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()
    assert zipfile.ZipFile(wheel).read(f"{info}/licenses/LICENSE").decode().startswith(
        "MIT License")

"""The wheel: built for real from a copy of the checkout, listed, installed and run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv*", ".ci-venvs", "build", "dist", "*.egg-info",
                                    "__pycache__", ".*_cache", ".hypothesis", "screenshots")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel built from a copy of the checkout, and the build's output."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w",
                           str(tmp / "dist"), str(source)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    (wheel,) = (tmp / "dist").glob("potato_sandbox-*.whl")
    return wheel, log


def test_the_build_gives_no_setuptools_warning(built: tuple[Path, str]) -> None:
    # A data folder missing from the packages, the license table deprecated in 2027.
    _, log = built
    for warning in ("absent from", "Deprecat", "is deprecated"):
        assert warning not in log, [line for line in log.splitlines() if warning in line]


def test_the_wheel_ships_the_code_types_fonts_examples_and_licenses(
    built: tuple[Path, str],
) -> None:
    wheel, _ = built
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {p.relative_to(REPO).as_posix() for p in (REPO / "sandbox").rglob("*.py")}
    assert code and code <= names, sorted(code - names)
    examples = {"sandbox/examples/" + p.relative_to(REPO / "games").as_posix()
                for p in (REPO / "games").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert {"sandbox/examples/bounce/main.py", "sandbox/examples/breakout/ball.png",
            "sandbox/examples/asteroids/ship.png"} <= examples
    assert examples <= names, sorted(examples - names)
    shared = {"sandbox/data/shared/" + p.relative_to(REPO / "assets").as_posix()
              for p in (REPO / "assets").rglob("*") if p.is_file()}
    assert "sandbox/data/shared/fonts/pixel.ttf" in shared
    assert shared <= names, sorted(shared - names)
    info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    assert {"sandbox/py.typed", "sandbox/data/fonts/DejaVuSansMono.ttf",
            "sandbox/data/fonts/LICENSE-DejaVu.txt", f"{info}/licenses/LICENSE",
            f"{info}/entry_points.txt"} <= names
    assert not [n for n in names if n.startswith(("tests/", "scripts/", "games/"))]
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode().splitlines()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    assert zipfile.ZipFile(wheel).read(f"{info}/licenses/LICENSE").decode().startswith(
        "MIT License")


def test_the_installed_wheel_runs_an_example_by_name_and_copies_one(
    built: tuple[Path, str], tmp_path: Path,
) -> None:
    """What the README promises after `pip install potato-sandbox`, far from the checkout."""
    wheel, _ = built
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        code = ("import sys, sandbox\n"
                f"assert sandbox.__file__.startswith({str(target)!r}), sandbox.__file__\n"
                "from sandbox.cli import main\n"
                f"sys.exit(main({list(args)!r}))\n")
        return subprocess.run([sys.executable, "-c", code], cwd=work, env=env, text=True,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=120)

    ran = cli("bounce", "--headless", "--frames", "3", "--screenshot", "bounce.png")
    assert ran.returncode == 0, ran.stderr
    assert (work / "bounce.png").stat().st_size > 0
    # It ran the installed files: the user is told how to get a copy to edit, and that works.
    assert ("bounce is the example installed with potato-sandbox; for a copy of your own to "
            "edit: potato-sandbox new bounce --from bounce, then potato-sandbox bounce runs it"
            ) in " ".join(ran.stdout.split())
    assert cli("new", "bounce", "--from", "bounce").returncode == 0
    ran = cli("bounce", "--headless", "--frames", "3")
    assert ran.returncode == 0, ran.stderr
    assert "example installed" not in ran.stdout  # the folder here wins over the example
    made = cli("new", "mygame", "--from", "breakout")
    assert made.returncode == 0, made.stderr
    assert (work / "mygame" / "ball.png").read_bytes() == (
        REPO / "games" / "breakout" / "ball.png").read_bytes()
    ran = cli("mygame", "--headless", "--frames", "3")
    assert ran.returncode == 0, ran.stderr
    # asteroids loads shared sprites, sounds and the pixel font: the wheel's copy of assets/.
    ran = cli("asteroids", "--headless", "--frames", "3")
    assert ran.returncode == 0, ran.stderr
    assert cli("new", "rocks", "--from", "asteroids").returncode == 0
    ran = cli("rocks", "--headless", "--frames", "3")
    assert ran.returncode == 0, ran.stderr

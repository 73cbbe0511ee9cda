"""scripts/readme_shots.py: the README's time-travel pictures, made by the real app headless."""

from __future__ import annotations

import sys
from pathlib import Path

from sandbox.sdl import read_png

REPO = Path(__file__).resolve().parent.parent


def test_the_readme_shots_show_the_timeline_and_the_ghosts(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import readme_shots
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert readme_shots.main(["--out", str(tmp_path)]) == 0
    shots = {}
    for name in ("timeline", "ghosts"):
        width, height, rgba = read_png(tmp_path / f"{name}.png")
        assert (width, height) == (640, 480)
        shots[name] = {tuple(rgba[i:i + 3]) for i in range(0, width * 400 * 4, 4)}  # above the bar
    # The save while scrubbed back turned bounce yellow; no ghosts there.
    assert shots["timeline"] == {(0, 0, 255), (255, 255, 128)}
    # The shot is of the re-run's end (it goes on over frames): the bar marks the divergence.
    width, height, rgba = read_png(tmp_path / "timeline.png")
    bar = {tuple(rgba[i:i + 3]) for i in range(width * 440 * 4, width * height * 4, 4)}
    assert (255, 80, 80) in bar
    # The ghosts: bounce's pink, and faint pink over blue in many shades (one a ghost, more
    # where they overlap), and nothing else.
    faint = {c for c in shots["ghosts"] if c not in {(0, 0, 255), (255, 128, 128)}}
    assert len(faint) >= 12
    assert all(0 < r < 255 and 0 < g < 128 and 128 < b < 255 for r, g, b in faint), faint

"""Smoke test of the start-up and drawing sections of scripts/bench.py (tiny counts).

No timing is asserted: only that each command ran, each row has numbers, and the ratios
the targets are judged on were computed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "scripts" / "bench.py"


def run(section: str, out: Path) -> tuple[str, dict[str, object]]:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    proc = subprocess.run([sys.executable, str(BENCH), section, "--quick", "--json", str(out)],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=180,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, object] = json.loads(out.read_text())[section]
    return proc.stdout, data


def test_startup_section_times_every_command(tmp_path: Path) -> None:
    text, data = run("startup", tmp_path / "s.json")
    assert "startup: whole processes" in text and "plain pysdl2 script" in text
    wall = data["wall"]
    assert isinstance(wall, dict)
    ours = wall["potato-sandbox games/bounce --headless --frames 1"]
    assert len(ours) == 2 and all(t > 0 for t in ours)
    ratios = data["ratios"]
    assert isinstance(ratios, dict) and ratios["wall"] > 0 and ratios["cpu"] > 0


def test_drawing_section_counts_items_per_frame(tmp_path: Path) -> None:
    text, data = run("drawing", tmp_path / "d.json")
    assert "drawing:" in text and "20 changing lines of text" in text
    per_frame = data["per_frame"]
    assert isinstance(per_frame, dict)
    assert per_frame["rects: renderer.rects (one call)"] > 0
    assert per_frame["sprites: renderer.sprites (one call)"] > 0
    assert per_frame["sprites: SDL alone (vertex arrays built once)"] > 0
    if "sprites: pygame-ce blit per sprite" in per_frame:  # the bench extra is installed
        assert "SDL alone (no Python) / pygame-ce blit: " in text
    text_seconds = data["text_seconds"]
    assert isinstance(text_seconds, dict) and "renderer.text" in text_seconds

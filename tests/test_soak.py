"""scripts/soak.py, short: valid and invalid reloads while frames run lose nothing.

The full run (1,000 reloads, with the memory figure) is ``python scripts/soak.py``; here 20
reloads check that the soak's own checks run and find nothing wrong. Timings are not asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOAK = REPO / "scripts" / "soak.py"


def test_twenty_reloads_crash_nothing_and_lose_nothing(tmp_path: Path) -> None:
    out = tmp_path / "soak.json"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    done = subprocess.run([sys.executable, str(SOAK), "--reloads", "20", "--json", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    assert result["reloads"] == 20
    assert (result["crashes"], result["lost state"], result["stale code"],
            result["unexpected outcomes"]) == (0, 0, 0, 0), result["problems"]
    assert "crashes" in done.stdout and "RSS growth" in done.stdout


def test_the_soak_notices_lost_state(tmp_path: Path) -> None:
    """The checks can fail: a game whose reload resets the position is caught."""
    sys.path.insert(0, str(SOAK.parent))
    try:
        import soak
    finally:
        sys.path.remove(str(SOAK.parent))
    good = soak.Soak.good

    def resetting(self: soak.Soak) -> dict[str, str]:
        files = good(self)
        # A statement that changes with every valid edit and moves the rectangle home.
        files["main.py"] = files["main.py"].replace(
            "BACKGROUND = (", "pos_x = 1; BACKGROUND = (")
        return files

    soak.Soak.good = resetting  # type: ignore[method-assign]
    try:
        result = soak.soak(12, 3)
    finally:
        soak.Soak.good = good  # type: ignore[method-assign]
    assert result["lost state"] > 0 and result["crashes"] == 0

"""Input benchmarks: what the held-input path costs an event and a frame, against the raw path.

Each sample interleaves the two ways, in the same run, on the same game:

- per event: a key-down and key-up through ``PlayGate.to_game`` (the real held state, the game's
  view, ``on_event`` and ``on_key_down``/``on_key_up``) against ``on_event`` alone (the raw
  path every event took before ``sandbox.input``);
- per frame: ``InputRouter.sync`` with nothing to do (every frame pays it) against a whole
  headless frame of ``games/bounce``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["event_cost", "sync_cost"]

REPO = Path(__file__).resolve().parent.parent
GAME = """
n = 0


def on_event(event):
    global n
    n += 1


def on_key_down(key):
    pass


def on_key_up(key):
    pass
"""


def event_cost(samples: int, batch: int = 500) -> dict[str, list[float]]:
    """Seconds per event through the input path and through ``on_event`` alone."""
    from sandbox import Host
    from sandbox.sdl import event_from_dict

    folder = Path(tempfile.mkdtemp(prefix="bench-input-")) / "keys"
    folder.mkdir()
    (folder / "main.py").write_text(GAME)
    out: dict[str, list[float]] = {"input": [], "raw": [], "ratio": []}
    with Host(folder, headless=True, watch=False) as host:
        host.step(1)
        events = [event_from_dict({"type": kind, "key": "Left"}) for kind in ("keydown", "keyup")]
        for _ in range(samples):
            t0 = time.perf_counter()
            for _ in range(batch):
                for event in events:
                    host.play.to_game(event)
            t1 = time.perf_counter()
            for _ in range(batch):
                for event in events:
                    host.call_hook("on_event", event)
            t2 = time.perf_counter()
            per_input, per_raw = (t1 - t0) / (2 * batch), (t2 - t1) / (2 * batch)
            out["input"].append(per_input)
            out["raw"].append(per_raw)
            out["ratio"].append(per_input / per_raw)
    return out


def sync_cost(samples: int, batch: int = 200) -> dict[str, Any]:
    """Seconds per ``sync()`` with nothing held, and per headless frame of bounce."""
    from sandbox import Host

    out: dict[str, list[float]] = {"sync": [], "frame": [], "share": []}
    with Host(REPO / "games" / "bounce", headless=True, watch=False) as host:
        host.step(2)
        for _ in range(samples):
            t0 = time.perf_counter()
            for _ in range(batch):
                host.input.sync()
            t1 = time.perf_counter()
            host.step(batch)
            t2 = time.perf_counter()
            per_sync, per_frame = (t1 - t0) / batch, (t2 - t1) / batch
            out["sync"].append(per_sync)
            out["frame"].append(per_frame)
            out["share"].append(per_sync / per_frame)
    return out

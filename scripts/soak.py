"""Soak test: many reloads alternating valid and invalid edits while a headless bounce runs.

    python scripts/soak.py [--reloads 1000] [--frames 3] [--json FILE]

On a copy of games/bounce in a temporary folder, a real headless Host runs a few frames
between reloads (``host.reload()`` directly, no watcher). Every other edit is invalid (a syntax
error, a raising statement, a NameError in physics.py, a broken function, a raising
after_reload handler); the others change the rectangle's colour (a function patch), the
background (a statement re-run) or SPEED (a statement and the game's after_reload handler).

A model of bounce's motion runs alongside, so every frame is checked:

- crashes: an exception escaping the host (must be 0);
- lost state: after a reload the position, velocity or wall-hit counter differ from the model,
  i.e. a failed reload changed something or a valid one reset state (must be 0);
- stale code: a valid reload whose new behaviour does not show (colour, background, speed), or
  a failed reload that left new code live (must be 0);
- unexpected outcomes: a valid edit that failed to reload or an invalid one that succeeded;
- memory: RSS growth between reload 100 (or N/5) and the last one (target: at most 5 MB).

Exit code 1 when any of the first four is not 0. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from sandbox.host import Host  # imported after the SDL environment is set

REPO = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 640, 480  # bounce's walls (physics.py), never edited here
RECT = "(255, 128, 128)"
BACK = "BACKGROUND = (0, 0, 255)"
SPEED = "SPEED = 2"

INVALID = (  # (file, old, new): each one must make the reload fail
    ("main.py", "dy = 1\n", "dy = 1\ndef broken(:\n"),
    ("main.py", "dy = 1\n", "dy = 1\n_soak_ratio = 1 / 0\n"),
    ("physics.py", "hits = 0", "_soak = undefined_name\nhits = 0"),
    ("physics.py", "    if x >= WIDTH:", "    if x >= WIDTH"),
    ("main.py", "dy = 1\n", "dy = 1\n\n\n@hot.after_reload\ndef _soak():\n    raise ValueError\n"),
)


def rss_bytes() -> int:
    """Resident memory now (psutil), else the peak so far (resource; Unix)."""
    try:
        import psutil  # type: ignore[import-untyped]  # the bench extra; no stubs installed
    except ImportError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) * (1 if sys.platform == "darwin" else 1024)
    return int(psutil.Process().memory_info().rss)


class Model:
    """bounce's update() and physics, in plain Python: where the rectangle must be."""

    def __init__(self, game: Any) -> None:
        self.x, self.y, self.dx, self.dy = game.pos_x, game.pos_y, game.dx, game.dy
        self.hits, self.speed = game.physics.hits, game.physics.SPEED

    def step(self) -> None:
        self.x += self.dx
        self.y += self.dy
        x, y, s = self.x, self.y, self.speed
        self.dx = -s if x >= WIDTH else s if x <= 0 else self.dx
        self.dy = -s if y >= HEIGHT else s if y <= 0 else self.dy
        if x >= WIDTH or x <= 0 or y >= HEIGHT or y <= 0:
            self.hits += 1

    def new_speed(self, speed: int) -> None:
        """The game's after_reload handler: the new SPEED at once, keeping the directions."""
        self.speed = speed
        self.dx, self.dy = (speed if self.dx > 0 else -speed), (speed if self.dy > 0 else -speed)

    def state(self) -> tuple[int, int, int, int, int]:
        return self.x, self.y, self.dx, self.dy, self.hits


def game_state(host: Host) -> tuple[int, int, int, int, int]:
    g = host.game
    return g.pos_x, g.pos_y, g.dx, g.dy, g.physics.hits


class Soak:
    """One soak run over a bounce copy in ``root``."""

    def __init__(self, root: Path, frames: int) -> None:
        self.root, self.frames = root, frames
        self.sources = {n: (root / n).read_text() for n in ("main.py", "physics.py")}
        self.rect, self.back, self.speed = RECT, BACK, SPEED
        self.counts = {"crashes": 0, "lost state": 0, "stale code": 0, "unexpected outcomes": 0}
        self.problems: list[str] = []
        self.seconds: dict[str, list[float]] = {"valid": [], "invalid": []}

    def problem(self, kind: str, text: str) -> None:
        self.counts[kind] += 1
        if len(self.problems) < 20:
            self.problems.append(f"{kind}: {text}")

    def good(self) -> dict[str, str]:
        return {
            "main.py": self.sources["main.py"].replace(RECT, self.rect).replace(BACK, self.back),
            "physics.py": self.sources["physics.py"].replace(SPEED, self.speed),
        }

    def edit(self, i: int, model: Model) -> tuple[bool, dict[str, str]]:
        """The i-th edit: (valid?, the files' new text). Valid edits update the model."""
        files = self.good()
        if i % 2:
            name, old, new = INVALID[(i // 2) % len(INVALID)]
            files[name] = files[name].replace(old, new, 1)
            return False, files
        kind = (i // 2) % 3
        if kind == 0:
            self.rect = f"(255, {i % 250}, 128)"
        elif kind == 1:
            self.back = f"BACKGROUND = (0, {i % 200}, 255)"
        else:
            speed = 1 + (model.speed % 4)  # 1..4, never the current one
            self.speed = f"SPEED = {speed}"
        return True, self.good()

    def check_frames(self, host: Host, model: Model, i: int) -> Model:
        """Run the frames between reloads; the model (resynced after a mismatch) after them."""
        for _ in range(self.frames):
            host.step(1)
            model.step()
            if game_state(host) != model.state():
                self.problem(
                    "lost state", f"reload {i}: game {game_state(host)} != model {model.state()}"
                )
                model = Model(host.game)  # resync, so that one loss is counted once
        return model

    def check_code(self, host: Host, valid: bool, i: int) -> None:
        """The running code is the last good one: colour, background and speed on screen."""
        rect = tuple(int(v) for v in self.rect.strip("()").split(","))
        back = tuple(int(v) for v in self.back.split("(")[1].rstrip(")").split(","))
        x = min(max(host.game.pos_x, 0), WIDTH - 1)
        y = min(max(host.game.pos_y, 0), HEIGHT - 1)
        far = (5 if x > WIDTH // 2 else WIDTH - 6, 5 if y > HEIGHT // 2 else HEIGHT - 6)
        live_speed = f"SPEED = {host.game.physics.SPEED}"
        shown = host.pixel(x, y)[:3], host.pixel(*far)[:3]
        if valid and shown != (rect, back):
            self.problem("stale code", f"reload {i}: drew {shown}, expected {(rect, back)}")
        if (
            rect not in host.game.draw.__code__.co_consts
            or live_speed != self.speed
            or tuple(host.game.BACKGROUND) != back
        ):
            self.problem("stale code", f"reload {i}: the live code is not the last good code")

    def run(self, host: Host, reloads: int, baseline_at: int) -> dict[str, Any]:
        host.step(2)
        model = Model(host.game)
        rss: dict[str, int] = {}
        for i in range(1, reloads + 1):
            valid, files = self.edit(i, model)
            for name, text in files.items():
                if (self.root / name).read_text() != text:
                    (self.root / name).write_text(text)
            try:
                report = host.reload()
                if valid and self.speed != f"SPEED = {model.speed}":
                    model.new_speed(int(self.speed.split("=")[1]))
                if report.ok != valid:
                    self.problem(
                        "unexpected outcomes",
                        f"reload {i} ({'valid' if valid else 'invalid'}): {report}",
                    )
                self.seconds["valid" if valid else "invalid"].append(report.seconds)
                if game_state(host) != model.state():
                    self.problem(
                        "lost state",
                        f"reload {i} changed the state: {game_state(host)} != {model.state()}",
                    )
                    model = Model(host.game)
                model = self.check_frames(host, model, i)
                self.check_code(host, valid, i)
                if host.paused:
                    self.problem("lost state", f"reload {i}: the game paused: {host.last_error}")
            except Exception as exc:  # anything escaping the host is a crash
                self.problem("crashes", f"reload {i}: {type(exc).__name__}: {exc}")
                if self.counts["crashes"] >= 10:
                    break
            if i == baseline_at:
                gc.collect()
                rss["baseline"] = rss_bytes()
        gc.collect()
        rss["end"] = rss_bytes()
        return {
            "reloads": reloads,
            "frames_between": self.frames,
            **self.counts,
            "rss_baseline_at": baseline_at,
            "rss_growth_mb": (rss["end"] - rss.get("baseline", rss["end"])) / 1e6,
            "reload_ms_median": {
                k: 1000 * statistics.median(v) if v else 0.0 for k, v in self.seconds.items()
            },
            "problems": self.problems,
        }


def soak(reloads: int, frames: int) -> dict[str, Any]:
    """Run the soak in a fresh temporary copy of games/bounce; return the numbers."""
    with tempfile.TemporaryDirectory(prefix="potato-soak-") as tmp:
        root = Path(tmp) / "bounce"
        shutil.copytree(
            REPO / "games" / "bounce", root, ignore=shutil.ignore_patterns("__pycache__")
        )
        started = time.perf_counter()
        # bounce's after_reload handler prints a line per SPEED edit: not the soak's output.
        with Host(root, headless=True, watch=False) as host, \
                contextlib.redirect_stdout(io.StringIO()):
            result = Soak(root, frames).run(host, reloads, max(1, min(100, reloads // 5)))
        result["seconds"] = time.perf_counter() - started
        return result


def print_table(r: dict[str, Any]) -> None:
    print(
        f"soak: {r['reloads']} reloads (every other one invalid), {r['frames_between']} frames "
        f"between, {r['seconds']:.1f} s"
    )
    print(f"  {'':<30}{'result':>10}{'target':>10}")
    for key in ("crashes", "lost state", "stale code", "unexpected outcomes"):
        print(f"  {key:<30}{r[key]:>10}{0:>10}")
    growth = f"RSS growth, reload {r['rss_baseline_at']}→{r['reloads']}"
    print(f"  {growth:<30}{r['rss_growth_mb']:>7.2f} MB{'≤ 5 MB':>10}")
    for kind, ms in r["reload_ms_median"].items():
        print(f"  {'median reload, ' + kind:<30}{ms:>7.2f} ms")
    for line in r["problems"]:
        print(f"  ! {line}")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print the table (and write JSON); 1 when anything was lost."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reloads", type=int, default=1000)
    parser.add_argument("--frames", type=int, default=3, help="frames between reloads")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    result = soak(args.reloads, args.frames)
    print_table(result)
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    failed = any(result[k] for k in ("crashes", "lost state", "stale code", "unexpected outcomes"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

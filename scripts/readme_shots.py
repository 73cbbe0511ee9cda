"""The README's time-travel screenshots, made by the real app, headless: ``docs/images/*.png``.

    python scripts/readme_shots.py [--out docs/images]

Each shot runs ``games/bounce`` (a copy in a temporary folder, so the edits it makes never
touch the repository) with SDL's dummy video driver, presses the keys a user would (pushed
through SDL's event queue), edits the copy's files and saves the window as shown, overlays
included:

- ``timeline.png``: F8, ten Left presses back, then a save while scrubbed back that moves
  bounce's top wall down to 20 and changes its colour: the red mark is where the new run
  leaves the old one.
- ``ghosts.png``: F8, back to just before bounce meets the right wall, G, then ``SPEED``
  tweaked from 2 to 6 (what a drag in the tweak panel does): the ghosts of the past at the
  speed played, those of the future re-run at the new speed, off the wall.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox import Host

__all__ = ["SHOTS", "ghosts", "main", "timeline"]

REPO = Path(__file__).resolve().parent.parent


def _press(host: Host, *keys: str) -> None:
    """Press each key (a real SDL key event) and run the frame that handles it."""
    for key in keys:
        host.press(key)
        host.step(1)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"readme_shots: {old!r} is not in {path.name} any more: update the shot")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def timeline(game: Path, out: Path) -> Path:
    """F8, back 100 ticks, then a save that moves the top wall and changes the colour."""
    from sandbox import Host

    with Host(game, headless=True, watch=False) as host:
        host.step(800)
        _press(host, "F8", *["Left"] * 10)
        _edit(game / "physics.py", "if y <= 0:\n        dy = +SPEED",
              "if y <= 20:\n        dy = +SPEED")
        _edit(game / "main.py", "(255, 128, 128)", "(255, 255, 128)")
        _press(host, "F9")
        host.step(1)
        while host.timeline.rerunning:  # the re-run goes on over frames; the shot is its end
            host.step(1)
        return host.screenshot(out / "timeline.png", overlays=True)


def ghosts(game: Path, out: Path) -> Path:
    """F8, back to before the right wall, G, then SPEED tweaked from 2 to 6."""
    from sandbox import Host

    with Host(game, headless=True, watch=False) as host:
        host.step(600)
        _press(host, "F8")
        host.timeline.move_to(548)  # 12 ticks before bounce meets the right wall
        host.step(1)
        _press(host, "G")
        host.tweak("physics.SPEED", 6)
        host.step(1)
        while host.ghosts.waiting:  # they come over a few frames
            host.step(1)
        return host.screenshot(out / "ghosts.png", overlays=True)


SHOTS: dict[str, Callable[[Path, Path], Path]] = {"timeline": timeline, "ghosts": ghosts}


def main(argv: list[str] | None = None) -> int:
    """Make every shot into ``--out`` (``docs/images``); print each path."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    args = parser.parse_args(argv)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, shot in SHOTS.items():
        with tempfile.TemporaryDirectory(prefix=f"readme-{name}-") as tmp:
            game = Path(tmp) / "bounce"
            shutil.copytree(REPO / "games" / "bounce", game,
                            ignore=shutil.ignore_patterns("__pycache__"))
            print(shot(game, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

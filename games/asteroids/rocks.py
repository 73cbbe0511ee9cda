"""The rocks: they drift, spin and wrap; a shot splits a big one in two smaller, faster ones.

Try ROCK_SPEED = 90 (every rock speeds up where it is) or RADII = {3: 24, 2: 12, 1: 6}.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from sandbox import Renderer

ROCK_SPEED = 40.0  # pixels per second for a big rock; each split makes the pieces faster
SPLIT_SPEEDUP = 1.5
RADII = {3: 16, 2: 10, 1: 6}  # size -> collision radius; the 32x32 sprite is scaled to fit
POINTS = {3: 20, 2: 50, 1: 100}
SAFE_DISTANCE = 90.0  # new rocks never appear this close to the ship


@dataclass
class Rock:
    """One rock: position, unit direction, size 3 (big) .. 1 (small), and its spin."""

    x: float
    y: float
    dx: float
    dy: float
    size: int = 3
    angle: float = 0.0
    spin: float = 30.0  # degrees per second

    @property
    def radius(self) -> int:
        return RADII[self.size]

    @property
    def speed(self) -> float:
        # Read every step, so an edited ROCK_SPEED moves the rocks already flying.
        return ROCK_SPEED * SPLIT_SPEEDUP ** (3 - self.size)


def spawn(count: int, rng: random.Random, size: tuple[int, int],
          away_from: tuple[float, float]) -> list[Rock]:
    """``count`` big rocks at random places, none within SAFE_DISTANCE of ``away_from``."""
    rocks: list[Rock] = []
    while len(rocks) < count:
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1])
        if math.hypot(x - away_from[0], y - away_from[1]) < SAFE_DISTANCE:
            continue
        heading = rng.uniform(0, 2 * math.pi)
        rocks.append(Rock(x, y, math.cos(heading), math.sin(heading),
                          spin=rng.uniform(-60, 60)))
    return rocks


def move(rocks: list[Rock], dt: float, size: tuple[int, int]) -> None:
    """Drift and spin every rock for one step, wrapping at the edges."""
    for rock in rocks:
        rock.x = (rock.x + rock.dx * rock.speed * dt) % size[0]
        rock.y = (rock.y + rock.dy * rock.speed * dt) % size[1]
        rock.angle = (rock.angle + rock.spin * dt) % 360


def hit(rocks: list[Rock], x: float, y: float, radius: float) -> Rock | None:
    """The first rock touching the circle at (x, y), or None."""
    for rock in rocks:
        if math.hypot(rock.x - x, rock.y - y) < rock.radius + radius:
            return rock
    return None


def split(rock: Rock, rng: random.Random) -> list[Rock]:
    """The pieces a shot leaves of ``rock``: two smaller ones at angles, none of the smallest."""
    if rock.size == 1:
        return []
    pieces = []
    for turn in (-0.6, 0.6):
        turn += rng.uniform(-0.3, 0.3)
        dx = rock.dx * math.cos(turn) - rock.dy * math.sin(turn)
        dy = rock.dx * math.sin(turn) + rock.dy * math.cos(turn)
        pieces.append(Rock(rock.x, rock.y, dx, dy, rock.size - 1, rock.angle,
                           rng.uniform(-90, 90)))
    return pieces


def draw(renderer: Renderer, rocks: list[Rock], texture: object) -> None:
    """Each rock is the rock sprite, scaled to its size and turned to its angle."""
    for rock in rocks:
        r = rock.radius
        renderer.image(texture, (rock.x - r, rock.y - r), angle=rock.angle, scale=r / 16)

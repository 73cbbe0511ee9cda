"""Stars behind everything (one ``renderer.sprites`` call) and debris from explosions (a batch).

Both use the shared ``sprites/spark.png`` from the top-level ``assets/`` folder.
Try DEBRIS_COUNT = 40, or STAR_RGB = (120, 160, 255).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sandbox import Renderer, SpriteBatch

STAR_COUNT = 60
STAR_RGB = (150, 150, 170)
DEBRIS_COUNT = 14  # sparks per explosion
DEBRIS_SPEED = 90.0
DEBRIS_LIFE = 0.7  # seconds
DEBRIS_RGB = (255, 210, 150)


@dataclass
class Spark:
    """One piece of debris: it flies, slows and shrinks until its life runs out."""

    x: float
    y: float
    vx: float
    vy: float
    life: float = DEBRIS_LIFE


def stars(rng: random.Random, size: tuple[int, int]) -> list[tuple[float, float]]:
    """Fixed star positions for the backdrop."""
    return [(rng.uniform(0, size[0]), rng.uniform(0, size[1])) for _ in range(STAR_COUNT)]


def explode(x: float, y: float, rng: random.Random) -> list[Spark]:
    """DEBRIS_COUNT sparks flying out of (x, y)."""
    return [Spark(x, y, rng.uniform(-1, 1) * DEBRIS_SPEED, rng.uniform(-1, 1) * DEBRIS_SPEED,
                  rng.uniform(0.5, 1.0) * DEBRIS_LIFE) for _ in range(DEBRIS_COUNT)]


def move(sparks: list[Spark], dt: float) -> list[Spark]:
    """The sparks still alive after one step."""
    for spark in sparks:
        spark.x += spark.vx * dt
        spark.y += spark.vy * dt
        spark.vx *= 0.98
        spark.vy *= 0.98
        spark.life -= dt
    return [spark for spark in sparks if spark.life > 0]


def draw_stars(renderer: Renderer, texture: object, where: list[tuple[float, float]]) -> None:
    """Every star in one SDL call, 2x2 and tinted."""
    renderer.sprites(texture, where, size=(2, 2), colour=STAR_RGB)


def draw_debris(renderer: Renderer, batch: SpriteBatch, sparks: list[Spark]) -> None:
    """Every spark in one SDL call, each sized by the life it has left."""
    batch.clear()
    for spark in sparks:
        side = 2 + 6 * spark.life / DEBRIS_LIFE
        batch.add((spark.x - side / 2, spark.y - side / 2), size=(side, side))
    renderer.batch(batch, DEBRIS_RGB)

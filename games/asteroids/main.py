"""asteroids: a ship, rocks that split, shots, sounds and a score, in four typed modules.

Run it with `potato-sandbox games/asteroids`. Space (or a gamepad's Start or A) starts;
Left/Right turn, Up thrusts, Space fires; on a gamepad the left stick turns, up thrusts, A fires.
Try, while it runs: TURN_SPEED in ship.py, ROCK_SPEED in rocks.py, SHOT_RGB here, or repaint
ship.png (or the shared ../../assets/sprites/spark.png) and save: the game changes at once and
the rocks, the score and the ship stay where they are. F5 starts over.
"""

from __future__ import annotations

import random
from enum import Enum, auto
from typing import Any

import effects
import rocks
import ship

from sandbox import Gamepad, PadChange, Renderer, SpriteBatch, assets, hot

TITLE = "asteroids"
SIZE = (480, 360)
BACKGROUND = (8, 10, 24)
TEXT_RGB = (235, 235, 235)
FONT = "fonts/pixel.ttf"  # shared: ../../assets/fonts/pixel.ttf, sharp at sizes 8, 16, 24 …
SHOT_RGB = (255, 240, 120)
LIVES = 3
FIRST_ROCKS = 4  # big rocks in the first wave; one more each wave
START_KEYS = ("space", "return")


class Mode(Enum):
    """What the game is doing: the title screen, play, or the game-over screen."""

    TITLE = auto()
    PLAY = auto()
    OVER = auto()


mode = Mode.TITLE
score = 0
lives = LIVES
wave = 1
ticks = 0
rng = random.Random(16)  # the game's own generator: part of the state a loop restores
player = ship.Ship(SIZE[0] / 2, SIZE[1] / 2)
shots: list[ship.Shot] = []
field: list[rocks.Rock] = []
sparks: list[effects.Spark] = []
stars: list[tuple[float, float]] = []

# Assets, fetched in load(): textures and sounds are updated in place when their files change.
SHIP: Any = None
ROCK: Any = None
SPARK: Any = None  # shared: ../../assets/sprites/spark.png
SHOOT: Any = None
BOOM: Any = None  # shared: ../../assets/sounds/boom.wav
BLIP: Any = None  # shared: ../../assets/sounds/blip.wav
debris: SpriteBatch | None = None


def load() -> None:
    """Fetch the assets and show the title screen, rocks drifting behind it."""
    global SHIP, ROCK, SPARK, SHOOT, BOOM, BLIP, debris, stars, field, mode
    SHIP, ROCK = assets.image("ship.png"), assets.image("rock.png")
    SPARK = assets.image("sprites/spark.png")
    SHOOT, BOOM = assets.sound("shoot.wav"), assets.sound("sounds/boom.wav")
    BLIP = assets.sound("sounds/blip.wav")
    debris = SpriteBatch(SPARK)
    stars = effects.stars(rng, SIZE)
    field = rocks.spawn(FIRST_ROCKS, rng, SIZE, (SIZE[0] / 2, SIZE[1] / 2))
    mode = Mode.TITLE


def start() -> None:
    """A new game: full lives, score 0, the first wave, the ship in the middle."""
    global mode, score, lives, wave, player, shots, field, sparks
    BLIP.play()
    mode, score, lives, wave = Mode.PLAY, 0, LIVES, 1
    player = ship.Ship(SIZE[0] / 2, SIZE[1] / 2)
    shots, sparks = [], []
    field = rocks.spawn(FIRST_ROCKS, rng, SIZE, (player.x, player.y))


def update(dt: float) -> None:
    """One fixed step: rocks always drift; in play the ship, its shots and the hits."""
    global ticks, shots, sparks
    ticks += 1
    rocks.move(field, dt, SIZE)
    sparks = effects.move(sparks, dt)
    if mode is not Mode.PLAY:
        return
    shot = ship.steer(player, ship.read_controls(), dt)
    if shot is not None:
        shots.append(shot)
        SHOOT.play()
    ship.move(player, dt, SIZE)
    shots = ship.move_shots(shots, dt, SIZE)
    _shoot_rocks()
    _crash()
    if not field:
        _next_wave()


def _shoot_rocks() -> None:
    """Every shot that touches a rock splits it and scores."""
    global score
    for shot in list(shots):
        rock = rocks.hit(field, shot.x, shot.y, 2)
        if rock is None:
            continue
        shots.remove(shot)
        field.remove(rock)
        field.extend(rocks.split(rock, rng))
        sparks.extend(effects.explode(rock.x, rock.y, rng))
        score += rocks.POINTS[rock.size]
        BOOM.play()


def _crash() -> None:
    """A rock touching the ship (once it is no longer safe) costs a life."""
    global lives, mode, player
    if player.safe > 0 or rocks.hit(field, player.x, player.y, ship.RADIUS) is None:
        return
    sparks.extend(effects.explode(player.x, player.y, rng))
    BOOM.play()
    lives -= 1
    player = ship.Ship(SIZE[0] / 2, SIZE[1] / 2)
    if lives == 0:
        mode = Mode.OVER


def _next_wave() -> None:
    global wave, field
    wave += 1
    field = rocks.spawn(FIRST_ROCKS + wave - 1, rng, SIZE, (player.x, player.y))


def draw(renderer: Renderer) -> None:
    """Stars, rocks, shots, debris, the ship, then the words for the mode."""
    renderer.clear(BACKGROUND)
    effects.draw_stars(renderer, SPARK, stars)
    rocks.draw(renderer, field, ROCK)
    renderer.sprites(SPARK, [(s.x - 2, s.y - 2) for s in shots], size=(4, 4), colour=SHOT_RGB)
    if debris is not None:
        effects.draw_debris(renderer, debris, sparks)
    if mode is Mode.PLAY:
        ship.draw(renderer, player, SHIP, ticks)
        renderer.text(f"score {score}  lives {lives}  wave {wave}", (8, 8), size=16,
                      colour=TEXT_RGB, font=FONT)
    elif mode is Mode.TITLE:
        _centred(renderer, "ASTEROIDS", 130, 48)
        _centred(renderer, "space or start to play", 200, 16)
    else:
        _centred(renderer, "GAME OVER", 130, 48)
        _centred(renderer, f"score {score}", 200, 16)
        _centred(renderer, "space or start to play again", 224, 16)


def _centred(renderer: Renderer, text: str, y: int, size: int) -> None:
    """One line of text centred across the window (each pixel-font glyph is size * 0.75 wide,
    the last one's gap included)."""
    width = len(text) * size * 3 // 4 - size // 8
    renderer.text(text, ((SIZE[0] - width) // 2, y), size=size, colour=TEXT_RGB, font=FONT)


def on_key_down(key: str) -> None:
    """Space or Return starts a game from the title or game-over screen."""
    if key in START_KEYS and mode is not Mode.PLAY:
        start()


def on_gamepad(kind: PadChange, control: str, pad: Gamepad) -> None:
    """Start (or A) on a gamepad starts a game, as Space does."""
    if kind is PadChange.BUTTON_DOWN and control in ("start", "a") and mode is not Mode.PLAY:
        start()


@hot.after_reload
def _refit() -> None:
    """A new STAR_COUNT in effects.py redraws the sky; everything else keeps its place."""
    global stars
    if hot.has_module_changed(effects) and len(stars) != effects.STAR_COUNT:
        stars = effects.stars(rng, SIZE)

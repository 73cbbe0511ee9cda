"""The ship and its shots: turn, thrust, fire, wrap around the screen.

Keyboard: Left/Right (A/D) turn, Up (W) thrusts, Space fires. A gamepad: the left stick or the
d-pad turns, stick up / d-pad up / B thrusts, A fires. Try TURN_SPEED = 400 and save.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sandbox import Renderer, gamepads, keyboard

TURN_SPEED = 220.0  # degrees per second
THRUST = 260.0  # pixels per second, gained each second the engine burns
MAX_SPEED = 260.0
DRAG = 0.5  # share of the speed lost per second when coasting
RADIUS = 7  # for collisions; the sprite is 16x16
SHOT_SPEED = 380.0
SHOT_LIFE = 0.8  # seconds before a shot fades
SHOT_GAP = 0.2  # seconds between shots while Space is held
SAFE_TIME = 2.0  # seconds a new ship cannot be hit (it blinks)
FLAME_RGB = (255, 170, 60)


@dataclass
class Controls:
    """What the player asks for this step: turn -1 (left) .. 1 (right), thrust, fire."""

    turn: float = 0.0
    thrust: bool = False
    fire: bool = False


@dataclass
class Ship:
    """Where the ship is and where it points (degrees clockwise from right: -90 is up)."""

    x: float
    y: float
    vx: float = 0.0
    vy: float = 0.0
    angle: float = -90.0
    cooldown: float = 0.0  # seconds until the next shot may leave
    safe: float = SAFE_TIME
    burning: bool = False


@dataclass
class Shot:
    """A bullet: it flies straight, wraps, and expires after SHOT_LIFE seconds."""

    x: float
    y: float
    vx: float
    vy: float
    life: float = SHOT_LIFE


def read_controls() -> Controls:
    """The keyboard and the first gamepad, combined (either one plays)."""
    turn = float(keyboard.right or keyboard.d) - float(keyboard.left or keyboard.a)
    thrust = keyboard.up or keyboard.w
    fire = keyboard.space
    pad = gamepads.get(0)
    if pad is not None:
        stick_x, stick_y = pad.left_stick
        turn += stick_x + pad.is_down("dpright") - pad.is_down("dpleft")
        thrust = thrust or stick_y < -0.5 or pad.is_down("dpup") or pad.is_down("b")
        fire = fire or pad.is_down("a")
    return Controls(max(-1.0, min(1.0, turn)), thrust, fire)


def steer(ship: Ship, controls: Controls, dt: float) -> Shot | None:
    """Turn, thrust and coast for one step; the shot fired this step, if any."""
    ship.angle = (ship.angle + controls.turn * TURN_SPEED * dt) % 360
    ship.burning = controls.thrust
    if controls.thrust:
        heading = math.radians(ship.angle)
        ship.vx += math.cos(heading) * THRUST * dt
        ship.vy += math.sin(heading) * THRUST * dt
    else:
        keep = max(0.0, 1.0 - DRAG * dt)
        ship.vx, ship.vy = ship.vx * keep, ship.vy * keep
    speed = math.hypot(ship.vx, ship.vy)
    if speed > MAX_SPEED:
        ship.vx, ship.vy = ship.vx * MAX_SPEED / speed, ship.vy * MAX_SPEED / speed
    ship.cooldown = max(0.0, ship.cooldown - dt)
    ship.safe = max(0.0, ship.safe - dt)
    if not controls.fire or ship.cooldown > 0:
        return None
    ship.cooldown = SHOT_GAP
    heading = math.radians(ship.angle)
    nose_x, nose_y = ship.x + math.cos(heading) * 9, ship.y + math.sin(heading) * 9
    return Shot(nose_x, nose_y, ship.vx + math.cos(heading) * SHOT_SPEED,
                ship.vy + math.sin(heading) * SHOT_SPEED)


def wrap(x: float, y: float, size: tuple[int, int]) -> tuple[float, float]:
    """A position that left one edge comes back at the other."""
    return x % size[0], y % size[1]


def move(ship: Ship, dt: float, size: tuple[int, int]) -> None:
    """Coast the ship along its velocity."""
    ship.x, ship.y = wrap(ship.x + ship.vx * dt, ship.y + ship.vy * dt, size)


def move_shots(shots: list[Shot], dt: float, size: tuple[int, int]) -> list[Shot]:
    """The shots still flying after one step."""
    for shot in shots:
        shot.x, shot.y = wrap(shot.x + shot.vx * dt, shot.y + shot.vy * dt, size)
        shot.life -= dt
    return [shot for shot in shots if shot.life > 0]


def draw(renderer: Renderer, ship: Ship, texture: object, ticks: int) -> None:
    """The ship turned to its angle (blinking while safe), a flame behind it when burning."""
    if ship.safe > 0 and ticks // 6 % 2:
        return
    if ship.burning and ticks // 3 % 2:
        heading = math.radians(ship.angle)
        tail = (ship.x - math.cos(heading) * 9, ship.y - math.sin(heading) * 9)
        flame = (tail[0] - math.cos(heading) * 6, tail[1] - math.sin(heading) * 6)
        renderer.line(tail, flame, FLAME_RGB, width=3)
    renderer.image(texture, (ship.x - 8, ship.y - 8), angle=ship.angle)

"""The paddle: Left/Right (or A/D, or a gamepad's d-pad or left stick) move it.

Held keys keep it moving, a tap moves one step; the stick moves it as far as it is pushed.
"""

from sandbox import gamepads, keyboard

WIDTH = 64
HEIGHT = 10
Y = 330
SPEED = 360.0  # pixels per second
COLOUR = (200, 200, 255)
KEYS = {"left": -1, "right": 1, "a": -1, "d": 1}

x = 240.0
tapped = 0  # direction of a key pressed since the last step (a press and release in one frame)


def reset(width):
    """Centre the paddle."""
    global x, tapped
    x, tapped = width / 2, 0


def on_key_down(key):
    """A press moves at least one step, even when it is released before the next one."""
    global tapped
    tapped = KEYS.get(key, tapped)


def held():
    """-1 .. 1: where the keys (or the first gamepad) held now point; opposites cancel."""
    direction = sum(step for key, step in KEYS.items() if keyboard.is_down(key))
    pad = gamepads.get(0)
    if pad is not None:
        direction += pad.is_down("dpright") - pad.is_down("dpleft") + pad.axis("leftx")
    return max(-1, min(1, direction))


def update(dt, width):
    """One fixed step of movement, kept inside the window."""
    global x, tapped
    direction = held() or tapped
    tapped = 0
    x = min(width - WIDTH / 2, max(WIDTH / 2, x + direction * SPEED * dt))


def catches(bx, by, radius):
    """True when the ball at (bx, by) touches the paddle's top."""
    return abs(bx - x) <= WIDTH / 2 + radius and Y - radius <= by <= Y + HEIGHT


def offset(bx):
    """Where the ball hit: -1 at the left edge, 0 in the middle, 1 at the right edge."""
    return max(-1.0, min(1.0, (bx - x) / (WIDTH / 2)))


def draw(renderer):
    """The paddle as a rectangle."""
    renderer.fill((int(x - WIDTH / 2), Y, WIDTH, HEIGHT), COLOUR)

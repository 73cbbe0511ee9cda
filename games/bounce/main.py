"""bounce: the bouncing rectangle of Nim's hot code reloading example, in Python.

Run it with `potato-sandbox games/bounce`, then edit and save: change the colour in draw()
to (255, 255, 128), or SPEED in physics.py. The rectangle keeps its position.
"""

import physics

from sandbox import hot

TITLE = "bounce"
SIZE = (640, 480)
BACKGROUND = (0, 0, 255)

pos_x = 1
pos_y = 0
dx = 1
dy = 1


def update(dt):
    """One fixed step: move, then bounce off the walls."""
    global pos_x, pos_y, dx, dy
    pos_x += dx
    pos_y += dy
    dx, dy = physics.bounce(pos_x, pos_y, dx, dy)


def draw(renderer):
    """The background, then the 50x50 rectangle centred on (pos_x, pos_y)."""
    renderer.clear(BACKGROUND)
    renderer.fill((pos_x - 25, pos_y - 25, 50, 50), (255, 128, 128))


@hot.after_reload
def apply_new_speed():
    """A new SPEED in physics.py applies at once, not only after the next wall."""
    global dx, dy
    if hot.has_module_changed(physics):
        dx, dy = physics.with_speed(dx), physics.with_speed(dy)
        print(f"physics reloaded: speed {physics.SPEED}, {physics.hits} wall hits so far")

"""Walls and speed for bounce: edit SPEED or a wall and save; the motion changes at once."""

WIDTH = 640
HEIGHT = 480
SPEED = 2  # pixels per tick after the first wall, as in the seed

hits = 0  # wall hits so far: state that survives reloads (this line never re-runs)


def bounce(x, y, dx, dy):
    """The seed's walls: at or past an edge, head back in at SPEED."""
    global hits
    if x >= WIDTH:
        dx = -SPEED
    if x <= 0:
        dx = +SPEED
    if y >= HEIGHT:
        dy = -SPEED
    if y <= 0:
        dy = +SPEED
    if (x >= WIDTH or x <= 0 or y >= HEIGHT or y <= 0):
        hits += 1
    return dx, dy


def with_speed(d):
    """``d`` at the current SPEED, keeping its direction (used after a reload)."""
    return SPEED if d > 0 else -SPEED

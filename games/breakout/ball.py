"""The ball: a position and a velocity in pixels per second, moved once per fixed step."""

RADIUS = 5
SPEED = 240.0  # vertical speed in pixels per second: edit and save, the ball keeps going

x = 240.0
y = 300.0
vx = 120.0
vy = -SPEED


def reset(paddle_x, paddle_y):
    """Serve from just above the paddle, up and to the right."""
    global x, y, vx, vy
    x, y = paddle_x, paddle_y - 30.0
    vx, vy = SPEED / 2, -SPEED


def step(dt, width):
    """Move one fixed step and bounce off the left, right and top walls."""
    global x, y, vx, vy
    x += vx * dt
    y += vy * dt
    if x < RADIUS:
        x, vx = RADIUS, abs(vx)
    elif x > width - RADIUS:
        x, vx = width - RADIUS, -abs(vx)
    if y < RADIUS:
        y, vy = RADIUS, abs(vy)


def bounce_up(offset):
    """Off the paddle: upwards, angled by where it hit (offset -1 left edge … 1 right edge)."""
    global vx, vy
    vx = SPEED * offset
    vy = -SPEED

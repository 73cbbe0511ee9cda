"""The wall of bricks: a grid of which bricks are left, their colours and hit tests."""

COLS = 8
ROWS = 4
WIDTH = 56
HEIGHT = 16
GAP = 4
TOP = 40
COLOURS = [(230, 80, 80), (230, 160, 60), (220, 220, 80), (80, 200, 120)]  # one per row

# Filled by reset() from load(). Not built from ROWS and COLS here: a statement that reads
# them would run again when they are edited and bring every broken brick back; instead,
# main.py's after_reload handler calls fit().
alive = []


def reset():
    """Every brick back."""
    alive[:] = [[True] * COLS for _ in range(ROWS)]


def fit():
    """Resize the grid to ROWS x COLS, keeping the state of the bricks that remain."""
    old = [row[:] for row in alive]
    alive[:] = [[old[r][c] if r < len(old) and c < len(old[r]) else True
                 for c in range(COLS)] for r in range(ROWS)]


def rect(row, col):
    """The brick's (x, y, w, h) on screen."""
    return (GAP // 2 + col * (WIDTH + GAP), TOP + row * (HEIGHT + GAP), WIDTH, HEIGHT)


def left():
    """How many bricks are left."""
    return sum(row.count(True) for row in alive)


def hit(x, y, radius):
    """Break the first brick the ball overlaps; True if one broke."""
    for r, row in enumerate(alive):
        for c, up in enumerate(row):
            if not up:
                continue
            bx, by, w, h = rect(r, c)
            if bx - radius <= x <= bx + w + radius and by - radius <= y <= by + h + radius:
                row[c] = False
                return True
    return False


def draw(renderer):
    """Every brick left, in its row's colour."""
    for r, row in enumerate(alive):
        colour = COLOURS[r % len(COLOURS)]
        for c, up in enumerate(row):
            if up:
                renderer.fill(rect(r, c), colour)

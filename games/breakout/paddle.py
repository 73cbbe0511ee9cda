"""The paddle: Left/Right (or A/D) move it; held keys keep it moving, a tap moves one step."""

import sdl2

WIDTH = 64
HEIGHT = 10
Y = 330
SPEED = 360.0  # pixels per second
COLOUR = (200, 200, 255)
KEYS = {sdl2.SDLK_LEFT: -1, sdl2.SDLK_RIGHT: 1, sdl2.SDLK_a: -1, sdl2.SDLK_d: 1}

x = 240.0
held = 0    # direction of the key held down
tapped = 0  # direction of a key pressed since the last step (a press and release in one frame)


def reset(width):
    """Centre the paddle."""
    global x, held, tapped
    x, held, tapped = width / 2, 0, 0


def on_event(event):
    """Key down starts moving, key up stops; auto-repeat is ignored (held already moves)."""
    global held, tapped
    if event.type not in (sdl2.SDL_KEYDOWN, sdl2.SDL_KEYUP):
        return
    direction = KEYS.get(event.key.keysym.sym)
    if direction is None:
        return
    if event.type == sdl2.SDL_KEYDOWN and not event.key.repeat:
        held = tapped = direction
    elif event.type == sdl2.SDL_KEYUP and held == direction:
        held = 0


def update(dt, width):
    """One fixed step of movement, kept inside the window."""
    global x, tapped
    direction = held or tapped
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

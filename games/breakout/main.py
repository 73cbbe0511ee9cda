"""breakout: a small game in several modules, with an image and a sound, to try the tools on.

Run it with `potato-sandbox games/breakout`. Left/Right (or A/D, or a gamepad) move the paddle.
Try, while it runs: change a colour in bricks.py, SPEED in ball.py, or repaint ball.png and
save; the game changes at once and the score, the bricks left and the ball stay as they are.
F5 starts over, F10 pauses, F11 steps, F3 shows frame times, F12 takes a screenshot.
"""

import ball
import bricks
import paddle

from sandbox import assets, hot

TITLE = "breakout"
SIZE = (480, 360)
BACKGROUND = (16, 16, 32)
LABEL_RGB = (230, 230, 230)

score = 0
lives = 3
BALL = None  # the ball's texture: assets updates it in place when ball.png changes
HIT = None   # the hit sound
FONT = None
_label = None
_label_text = ""


def load():
    """Start (or restart) a game: fetch the assets, reset the score, the bricks and the ball."""
    global BALL, HIT, FONT, score, lives
    BALL = assets.image("ball.png")
    HIT = assets.sound("hit.wav")
    FONT = assets.font(size=14)
    score, lives = 0, 3
    bricks.reset()
    paddle.reset(SIZE[0])
    ball.reset(paddle.x, paddle.Y)


def update(dt):
    """One fixed step: paddle, ball, then what the ball touched."""
    global score, lives
    paddle.update(dt, SIZE[0])
    ball.step(dt, SIZE[0])
    if ball.vy > 0 and paddle.catches(ball.x, ball.y, ball.RADIUS):
        ball.bounce_up(paddle.offset(ball.x))
        HIT.play()
    if bricks.hit(ball.x, ball.y, ball.RADIUS):
        ball.vy = -ball.vy
        score += 10
        HIT.play()
    if ball.y > SIZE[1] + ball.RADIUS:
        lives -= 1
        if lives == 0:
            score, lives = 0, 3
            bricks.reset()
        ball.reset(paddle.x, paddle.Y)
    if bricks.left() == 0:
        bricks.reset()


def draw(renderer):
    """Background, bricks, paddle, ball, then the score line."""
    renderer.clear(BACKGROUND)
    bricks.draw(renderer)
    paddle.draw(renderer)
    r = ball.RADIUS
    renderer.copy(BALL, dstrect=(int(ball.x) - r, int(ball.y) - r, 2 * r, 2 * r))
    label = _score_label()
    renderer.copy(label, dstrect=(8, 8, *label.size))


def _score_label():
    """The score line's texture, rendered again only when its text changes."""
    global _label, _label_text
    text = f"score {score}   lives {lives}   bricks {bricks.left()}"
    if _label is None or text != _label_text:
        _label, _label_text = FONT.render(text, LABEL_RGB), text
    return _label


def on_key_down(key):
    """Keys go to the paddle ("left", "right", "a", "d")."""
    paddle.on_key_down(key)


@hot.after_reload
def _fit_bricks():
    """A new ROWS or COLS in bricks.py resizes the wall, keeping the bricks already broken."""
    if hot.has_module_changed(bricks):
        bricks.fit()

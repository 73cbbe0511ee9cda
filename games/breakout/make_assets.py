"""Regenerate ball.png and hit.wav (run once: `python games/breakout/make_assets.py`).

Not part of the game: main.py never imports it. Kept so the committed files can be re-made.
"""

import math
import struct
import wave
from pathlib import Path

from sandbox.sdl import write_png

HERE = Path(__file__).resolve().parent


def ball_png(path, size=10, rgb=(250, 250, 250)):
    """A disc: opaque inside the radius, transparent outside."""
    pixels = bytearray()
    centre = (size - 1) / 2
    for y in range(size):
        for x in range(size):
            inside = math.hypot(x - centre, y - centre) <= size / 2
            pixels += bytes((*rgb, 255 if inside else 0))
    write_png(path, (size, size), bytes(pixels))


def hit_wav(path, seconds=0.06, rate=22050, pitch=880.0):
    """A short square-wave blip that fades out."""
    frames = int(seconds * rate)
    samples = []
    for i in range(frames):
        fade = 1.0 - i / frames
        square = 1.0 if math.sin(2 * math.pi * pitch * i / rate) >= 0 else -1.0
        samples.append(int(9000 * fade * square))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{frames}h", *samples))


if __name__ == "__main__":
    ball_png(HERE / "ball.png")
    hit_wav(HERE / "hit.wav")
    print(f"wrote {HERE / 'ball.png'} and {HERE / 'hit.wav'}")

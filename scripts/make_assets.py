"""Make the example assets: the shared ``assets/`` and ``games/asteroids``' own sprites and sounds.

Pure Python (PNG through ``zlib``, WAV through ``wave``), deterministic, so the committed files
can be made again byte for byte (``tests/test_make_assets.py`` checks they are):

    python3 scripts/make_assets.py            # writes into this checkout
    python3 scripts/make_assets.py --out DIR  # writes DIR/assets/... and DIR/games/asteroids/...

Shared (``assets/``, for every game in ``games/``): ``sprites/spark.png`` (a soft white dot for
bullets, stars and debris), ``sounds/blip.wav`` (a menu beep), ``sounds/boom.wav`` (an
explosion) and ``fonts/pixel.ttf`` (a 5x7 pixel font, ``scripts/pixel_font.py``). The asteroids
game's own: ``ship.png``, ``rock.png`` and ``shoot.wav``.
"""

from __future__ import annotations

import argparse
import math
import random
import struct
import wave
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from pixel_font import ttf_bytes

__all__ = ["main", "make_all", "png_bytes", "write_wav"]

REPO = Path(__file__).resolve().parent.parent
RATE = 22050

Pixel = tuple[int, int, int, int]


def png_bytes(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An RGBA PNG, ``pixel(x, y)`` giving each pixel's colour."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type 0: the row as is
        for x in range(width):
            rows += bytes(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def write_wav(path: Path, samples: Sequence[float]) -> None:
    """16-bit mono WAV at ``RATE``; samples are -1.0 .. 1.0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        clipped = (max(-1.0, min(1.0, s)) for s in samples)
        out.writeframes(b"".join(struct.pack("<h", round(s * 32000)) for s in clipped))


def spark(x: int, y: int) -> Pixel:
    """8x8: white, opaque at the centre, fading to clear at the edge."""
    alpha = max(0.0, 1.0 - math.hypot(x - 3.5, y - 3.5) / 4.0)
    return (255, 255, 255, round(255 * min(1.0, alpha * 1.6)))


def ship(x: int, y: int) -> Pixel:
    """16x16, pointing right (angle 0): a light triangle with a blue cockpit."""
    cx, cy = x + 0.5, y + 0.5
    inside = cx >= 1 and abs(cy - 8) <= (16 - cx) * 0.45
    if not inside:
        return (0, 0, 0, 0)
    if math.hypot(cx - 9, cy - 8) < 2.2:
        return (90, 170, 255, 255)
    return (235, 235, 245, 255)


def rock(x: int, y: int) -> Pixel:
    """32x32: a lumpy grey disc, darker towards the rim."""
    dx, dy = x + 0.5 - 16, y + 0.5 - 16
    radius = 14 + 1.6 * math.sin(5 * math.atan2(dy, dx))
    dist = math.hypot(dx, dy)
    if dist > radius:
        return (0, 0, 0, 0)
    shade = round(170 - 70 * dist / radius)
    return (shade, shade - 8, shade - 20, 255)


def blip() -> list[float]:
    """0.08 s: a square wave at 660 Hz that fades out."""
    n = int(0.08 * RATE)
    return [0.35 * (1 - i / n) * (1 if (i * 660 * 2 // RATE) % 2 else -1) for i in range(n)]


def shoot() -> list[float]:
    """0.12 s: a falling square-wave zap."""
    n = int(0.12 * RATE)
    out, phase = [], 0.0
    for i in range(n):
        phase += (1500 - 1100 * i / n) / RATE
        out.append(0.3 * (1 - i / n) * (1 if phase % 1 < 0.5 else -1))
    return out


def boom(rng: random.Random) -> list[float]:
    """0.4 s: low-passed noise with a fast decay."""
    n = int(0.4 * RATE)
    out, level = [], 0.0
    for i in range(n):
        level += (rng.uniform(-1, 1) - level) * 0.15
        out.append(2.2 * level * (1 - i / n) ** 2)
    return out


def make_all(out: Path) -> list[Path]:
    """Write every asset under ``out`` (a checkout's root); return the files written."""
    shared, game = out / "assets", out / "games" / "asteroids"
    images = {shared / "sprites" / "spark.png": (8, 8, spark),
              game / "ship.png": (16, 16, ship), game / "rock.png": (32, 32, rock)}
    written = []
    for path, (width, height, pixel) in images.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(width, height, pixel))
        written.append(path)
    sounds = {shared / "sounds" / "blip.wav": blip(), game / "shoot.wav": shoot(),
              shared / "sounds" / "boom.wav": boom(random.Random(16))}
    for path, samples in sounds.items():
        write_wav(path, samples)
        written.append(path)
    font = shared / "fonts" / "pixel.ttf"
    font.parent.mkdir(parents=True, exist_ok=True)
    font.write_bytes(ttf_bytes())
    return [*written, font]


def main(argv: Sequence[str] | None = None) -> int:
    """Write the assets (into this checkout unless ``--out``) and list them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO, help="the root to write under")
    args = parser.parse_args(argv)
    for path in make_all(args.out):
        print(f"{path.stat().st_size:6d}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

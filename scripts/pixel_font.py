"""A 5x7 pixel font as a TrueType file, in pure Python: each lit pixel run is a square outline.

``scripts/make_assets.py`` writes it to ``assets/fonts/pixel.ttf`` for every game to use
(``renderer.text("SCORE 10", (8, 8), font="fonts/pixel.ttf")``). It has the digits, A-Z (a-z
map to the same capitals) and ``.,:!?-+/'()`` and a space; any other character shows the
missing-glyph box. Sizes that are multiples of 8 keep every pixel square and sharp.

The file holds the tables FreeType needs for a TrueType outline font: ``head``, ``hhea``,
``maxp``, ``OS/2``, ``hmtx``, ``cmap`` (format 4), ``loca`` (long offsets), ``glyf`` (simple
glyphs, all points on the curve, no hinting), ``name`` and ``post`` (format 3, no glyph names).
"""

from __future__ import annotations

import struct

__all__ = ["GLYPHS", "ttf_bytes"]

# One line per character: the character, then its seven rows, top first ('#' lit).
GLYPHS = """\
0 .###. #...# #..## #.#.# ##..# #...# .###.
1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
2 .###. #...# ....# ...#. ..#.. .#... #####
3 ####. ....# ....# .###. ....# ....# ####.
4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
5 ##### #.... ####. ....# ....# #...# .###.
6 .###. #.... #.... ####. #...# #...# .###.
7 ##### ....# ...#. ..#.. .#... .#... .#...
8 .###. #...# #...# .###. #...# #...# .###.
9 .###. #...# #...# .#### ....# ....# .###.
A .###. #...# #...# ##### #...# #...# #...#
B ####. #...# #...# ####. #...# #...# ####.
C .###. #...# #.... #.... #.... #...# .###.
D ####. #...# #...# #...# #...# #...# ####.
E ##### #.... #.... ####. #.... #.... #####
F ##### #.... #.... ####. #.... #.... #....
G .###. #...# #.... #.### #...# #...# .####
H #...# #...# #...# ##### #...# #...# #...#
I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
J ..### ...#. ...#. ...#. ...#. #..#. .##..
K #...# #..#. #.#.. ##... #.#.. #..#. #...#
L #.... #.... #.... #.... #.... #.... #####
M #...# ##.## #.#.# #.#.# #...# #...# #...#
N #...# #...# ##..# #.#.# #..## #...# #...#
O .###. #...# #...# #...# #...# #...# .###.
P ####. #...# #...# ####. #.... #.... #....
Q .###. #...# #...# #...# #.#.# #..#. .##.#
R ####. #...# #...# ####. #.#.. #..#. #...#
S .#### #.... #.... .###. ....# ....# ####.
T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
U #...# #...# #...# #...# #...# #...# .###.
V #...# #...# #...# #...# #...# .#.#. ..#..
W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
X #...# #...# .#.#. ..#.. .#.#. #...# #...#
Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
Z ##### ....# ...#. ..#.. .#... #.... #####
. ..... ..... ..... ..... ..... .##.. .##..
, ..... ..... ..... ..... .##.. ..#.. .#...
: ..... .##.. .##.. ..... .##.. .##.. .....
! ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..
? .###. #...# ....# ...#. ..#.. ..... ..#..
- ..... ..... ..... .###. ..... ..... .....
+ ..... ..#.. ..#.. ##### ..#.. ..#.. .....
/ ....# ....# ...#. ..#.. .#... #.... #....
' ..#.. ..#.. .#... ..... ..... ..... .....
( ...#. ..#.. .#... .#... .#... ..#.. ...#.
) .#... ..#.. ...#. ...#. ...#. ..#.. .#...
"""

PIXEL = 128  # font units per pixel
EM = 1024  # units per em: a size-8 font draws one pixel per font pixel
ASCENT, DESCENT = 7 * PIXEL, PIXEL  # the seven rows sit on the baseline; one row below
ADVANCE = 6 * PIXEL  # five columns and a gap


def _bitmaps() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in GLYPHS.splitlines():
        char, *rows = line.split(" ")
        assert len(rows) == 7 and all(len(r) == 5 for r in rows), line
        table[char] = rows
    return table


def _rectangles(rows: list[str]) -> list[tuple[int, int, int, int]]:
    """The glyph's lit runs as (x0, y0, x1, y1) in font units, y up from the baseline."""
    boxes = []
    for i, row in enumerate(rows):
        y1 = (7 - i) * PIXEL
        x = 0
        while x < 5:
            if row[x] != "#":
                x += 1
                continue
            start = x
            while x < 5 and row[x] == "#":
                x += 1
            boxes.append((start * PIXEL, y1 - PIXEL, x * PIXEL, y1))
    return boxes


def _glyph(boxes: list[tuple[int, int, int, int]]) -> bytes:
    """A simple glyph: one clockwise contour per box, every point on the curve."""
    if not boxes:
        return b""
    points = []
    for x0, y0, x1, y1 in boxes:
        points += [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]  # clockwise with y up: filled
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    out = struct.pack(">hhhhh", len(boxes), min(xs), min(ys), max(xs), max(ys))
    out += struct.pack(f">{len(boxes)}H", *(4 * i + 3 for i in range(len(boxes))))
    out += struct.pack(">H", 0)  # no instructions
    out += bytes([1]) * len(points)  # on curve; x and y as 16-bit deltas
    last_x = last_y = 0
    dx, dy = [], []
    for x, y in points:
        dx.append(x - last_x)
        dy.append(y - last_y)
        last_x, last_y = x, y
    out += struct.pack(f">{len(points)}h", *dx) + struct.pack(f">{len(points)}h", *dy)
    return out + bytes(-len(out) % 4)


def _cmap(codes: dict[int, int]) -> bytes:
    """A format 4 subtable (Windows, Unicode BMP): one segment per character, then 0xFFFF."""
    ends = [*sorted(codes), 0xFFFF]
    deltas = [(codes[c] - c) % 0x10000 for c in ends[:-1]] + [1]
    seg = len(ends)
    power = 1 << (seg.bit_length() - 1)
    body = struct.pack(">HHHH", seg * 2, power * 2, power.bit_length() - 1, seg * 2 - power * 2)
    body += struct.pack(f">{seg}H", *ends) + b"\0\0" + struct.pack(f">{seg}H", *ends)
    body += struct.pack(f">{seg}H", *deltas) + bytes(2 * seg)
    sub = struct.pack(">HHH", 4, 6 + len(body), 0) + body
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub


def _name(family: str) -> bytes:
    strings = {1: family, 2: "Regular", 4: f"{family} Regular", 6: family.replace(" ", "")}
    records, data = b"", b""
    for name_id, text in strings.items():
        encoded = text.encode("utf-16-be")
        records += struct.pack(">HHHHHH", 3, 1, 0x409, name_id, len(encoded), len(data))
        data += encoded
    return struct.pack(">HHH", 0, len(strings), 6 + len(records)) + records + data


def _os2() -> bytes:
    """OS/2 version 1: metrics SDL_ttf may read, a regular weight, no embedding limits."""
    return struct.pack(">HhHHH8hhhh10s4I4sHHHhhhHHII", 1, ADVANCE, 400, 5, 0,
                       PIXEL * 4, PIXEL * 4, 0, 0, PIXEL * 4, PIXEL * 4, 0, PIXEL * 2,
                       PIXEL // 2, PIXEL * 3, 0, bytes(10), 1, 0, 0, 0, b"POTA", 0x40,
                       32, 122, ASCENT, -DESCENT, 0, ASCENT, DESCENT, 1, 0)


def _checksum(data: bytes) -> int:
    data += bytes(-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(data) // 4}I", data)
    return sum(words) & 0xFFFFFFFF


def ttf_bytes(family: str = "Potato Pixel") -> bytes:
    """The whole font file."""
    bitmaps = _bitmaps()
    chars = [" ", *bitmaps]
    notdef = _glyph([(0, 0, 5 * PIXEL, PIXEL // 2), (0, 0, PIXEL // 2, 7 * PIXEL),
                     (0, 13 * PIXEL // 2, 5 * PIXEL, 7 * PIXEL),
                     (9 * PIXEL // 2, 0, 5 * PIXEL, 7 * PIXEL)])
    boxes = [_rectangles(bitmaps[c]) for c in chars[1:]]
    glyphs = [notdef, b""] + [_glyph(b) for b in boxes]
    # The left side bearing must be the glyph's xMin: FreeType moves the outline to match it.
    bearings = [0, 0] + [min((b[0] for b in run), default=0) for run in boxes]
    codes = {ord(c): i + 1 for i, c in enumerate(chars)}
    codes.update({ord(c.lower()): codes[ord(c)] for c in chars if c.isalpha()})
    offsets = [0]
    for g in glyphs:
        offsets.append(offsets[-1] + len(g))
    count = len(glyphs)
    most = max(4 * len(_rectangles(rows)) for rows in bitmaps.values())
    tables = {
        b"OS/2": _os2(),
        b"cmap": _cmap(codes),
        b"glyf": b"".join(glyphs),
        b"head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x10000, 0x10000, 0, 0x5F0F3CF5, 0x000B,
                             EM, 0, 0, 0, 0, 5 * PIXEL, 7 * PIXEL, 0, 8, 2, 1, 0),
        b"hhea": struct.pack(">IhhhHhhhhhh8xhH", 0x10000, ASCENT, -DESCENT, 0, ADVANCE, 0,
                             PIXEL, 5 * PIXEL, 1, 0, 0, 0, count),
        b"hmtx": b"".join(struct.pack(">Hh", ADVANCE, lsb) for lsb in bearings),
        b"loca": struct.pack(f">{count + 1}I", *offsets),
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x10000, count, max(most, 16), most // 4 + 4,
                             0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        b"name": _name(family),
        b"post": struct.pack(">IIhhIIIII", 0x30000, 0, -PIXEL, PIXEL // 2, 1, 0, 0, 0, 0),
    }
    power = 1 << (len(tables).bit_length() - 1)
    head = struct.pack(">IHHHH", 0x10000, len(tables), power * 16, power.bit_length() - 1,
                       len(tables) * 16 - power * 16)
    offset = len(head) + 16 * len(tables)
    directory, body = b"", b""
    for tag in sorted(tables):
        data = tables[tag]
        directory += tag + struct.pack(">III", _checksum(data), offset + len(body), len(data))
        body += data + bytes(-len(data) % 4)
    font = bytearray(head + directory + body)
    # head.checkSumAdjustment: the whole file must sum to 0xB1B0AFBA.
    at = offset + body.index(tables[b"head"]) + 8
    struct.pack_into(">I", font, at, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)

"""The site's Open Graph image: one PNG, drawn at build time from the settings (the English
title in a small bitmap face on the theme's paper colour, between the masthead's rules).

Open Graph wants a raster image (PNG or JPEG, not SVG), and an image library is a heavy
dependency for one picture, so this module writes the PNG itself: palette pixels, each row
with filter 0, zlib-compressed. The same settings give the same bytes (no timestamps or text
chunks in the file)."""

from __future__ import annotations

import struct
import zlib

WIDTH, HEIGHT = 1200, 630  # the size Open Graph consumers crop to (1.91:1)

# palette: paper, ink, accent, rule (the light scheme of themes/default/static/style.css)
PALETTE = ((0xFD, 0xFC, 0xF9), (0x1B, 0x1B, 0x1B), (0x8B, 0x1A, 0x1A), (0xD9, 0xD4, 0xC7))
PAPER, INK, ACCENT, RULE = range(4)

# 5x7 capitals, digits and a little punctuation; a letter the face lacks is left as a gap
_FACE = {
    "A": ".###.#...##...#######...##...##...#", "B": "####.#...##...#####.#...##...#####.",
    "C": ".#####....#....#....#....#.....####", "D": "####.#...##...##...##...##...#####.",
    "E": "######....#....####.#....#....#####", "F": "######....#....####.#....#....#....",
    "G": ".#####....#....#..###...##...#.####", "H": "#...##...##...#######...##...##...#",
    "I": "#####..#....#....#....#....#..#####", "J": "..###...#....#....##...##...#.###..",
    "K": "#...##..#.#.#..##...#.#..#..#.#...#", "L": "#....#....#....#....#....#....#####",
    "M": "#...###.###.#.##...##...##...##...#", "N": "#...###..##.#.##..###...##...##...#",
    "O": ".###.#...##...##...##...##...#.###.", "P": "####.#...##...#####.#....#....#....",
    "Q": ".###.#...##...##...##.#.##..#..##.#", "R": "####.#...##...#####.#.#..#..#.#...#",
    "S": ".#####....#.....###.....#....#####.", "T": "#####..#....#....#....#....#....#..",
    "U": "#...##...##...##...##...##...#.###.", "V": "#...##...##...##...#.#.#..#.#...#..",
    "W": "#...##...##...##.#.##.#.###.###...#", "X": "#...##...#.#.#...#...#.#.#...##...#",
    "Y": "#...##...#.#.#...#....#....#....#..", "Z": "#####....#...#...#...#...#....#####",
    "0": ".###.#...##..###.#.###..##...#.###.", "1": "..#...##....#....#....#....#...###.",
    "2": ".###.#...#....#...#...#...#...#####", "3": "####.....#....#.###.....#....#####.",
    "4": "...#...##..#.#.#..#.#####...#....#.", "5": "######....####.....#....##...#.###.",
    "6": ".###.#....#....####.#...##...#.###.", "7": "#####....#...#...#...#....#....#...",
    "8": ".###.#...##...#.###.#...##...#.###.", "9": ".###.#...##...#.####....#....#.###.",
    "-": "................###................", "'": "..#....#...........................",
    ".": "..............................#....", ",": ".........................#...#.....",
    "&": ".##..#..#.#.#...#...#.#.##..#..##.#", ":": ".......#..........#................",
}


def _text_rows(text: str, scale: int) -> tuple[int, list[list[bool]]]:
    """The text as rows of on/off pixels at `scale` (each glyph 5x7 with one column between)."""
    glyphs = [_FACE.get(ch) for ch in text.upper()]
    width = max(0, len(glyphs) * 6 - 1) * scale
    rows = []
    for y in range(7):
        row: list[bool] = []
        for g in glyphs:
            bits = [False] * 5 if g is None else [c == "#" for c in g[y * 5:y * 5 + 5].ljust(5, ".")]
            row += [b for b in bits for _ in range(scale)] + [False] * scale
        row = row[:width]
        rows += [row] * scale
    return width, rows


def _fit(text: str, max_width: int) -> tuple[str, int]:
    """The largest scale at which `text` fits, shortened with '...' when even scale 4 is too wide."""
    for scale in range(14, 3, -1):
        if (len(text) * 6 - 1) * scale <= max_width:
            return text, scale
    keep = max(1, max_width // 24 - 3)
    return text[:keep].rstrip() + "...", 4


def og_png(title: str) -> bytes:
    """The image for a site called `title` (its English title: the face has Latin letters only)."""
    pixels = [bytearray([PAPER]) * WIDTH for _ in range(HEIGHT)]
    margin = 80

    def band(y: int, height: int, colour: int) -> None:
        for row in pixels[y:y + height]:
            row[margin:WIDTH - margin] = bytes([colour]) * (WIDTH - 2 * margin)

    band(0, 24, ACCENT)
    text, scale = _fit(" ".join(title.split()), WIDTH - 2 * margin)
    width, rows = _text_rows(text, scale)
    top = (HEIGHT - len(rows)) // 2 - 20
    left = (WIDTH - width) // 2
    for dy, row in enumerate(rows):
        line = pixels[top + dy]
        for dx, on in enumerate(row):
            if on:
                line[left + dx] = INK
    # the masthead's double rule under the title
    rule = top + len(rows) + 48
    band(rule, 6, RULE)
    band(rule + 14, 6, RULE)
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)  # filter type 0 for every row
    return _png(WIDTH, HEIGHT, raw)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(width: int, height: int, raw: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit palette, no interlace
    palette = b"".join(bytes(colour) for colour in PALETTE)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", palette)
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))

"""The width and height of an image, read from its first bytes: PNG, GIF, JPEG, WebP, SVG.

Pages give every image its width and height (no layout shift while it loads). Reading a
header needs no imaging library: each of these formats says its size in a few fixed bytes
(JPEG in its first SOF segment, SVG in its width/height or viewBox attributes), so Pillow
would be a large dependency for a few lines.
"""

from __future__ import annotations

import re
import struct

# an SVG's size in CSS pixels: a plain number or px; other units (em, %) say nothing fixed
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.S | re.I)
_SVG_ATTR = re.compile(rb"""\b(width|height|viewBox)\s*=\s*["']([^"']*)["']""", re.I)
_NUMBER = re.compile(rb"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")

EXTENSIONS = (".png", ".gif", ".jpg", ".jpeg", ".webp", ".svg")


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels, or None when `data` is not an image of a known format."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return _positive(*struct.unpack(">II", data[16:24]))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return _positive(*struct.unpack("<HH", data[6:10]))
    if data[:3] == b"\xff\xd8\xff":
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!DOCTYPE")) and b"<svg" in data[:4096].lower():
        return _svg(data[:4096])
    return None


def _positive(width: int, height: int) -> tuple[int, int] | None:
    return (width, height) if width > 0 and height > 0 else None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    pos = 2
    n = len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        # SOF0..SOF15 hold the frame size, except DHT (C4), JPG (C8) and DAC (CC)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if pos + 9 > n:
                return None
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            return _positive(width, height)
        pos += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return _positive(width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return _positive((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(data) >= 30:
        return _positive(int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
    return None


def _svg(data: bytes) -> tuple[int, int] | None:
    tag = _SVG_TAG.search(data)
    if not tag:
        return None
    attrs = {k.lower(): v for k, v in _SVG_ATTR.findall(tag.group(0))}
    width, height = (_NUMBER.match(attrs.get(k, b"")) for k in (b"width", b"height"))
    if width and height:
        return _positive(round(float(width.group(1))), round(float(height.group(1))))
    box = attrs.get(b"viewbox", b"").replace(b",", b" ").split()
    if len(box) == 4:
        try:
            return _positive(round(float(box[2])), round(float(box[3])))
        except ValueError:
            return None
    return None

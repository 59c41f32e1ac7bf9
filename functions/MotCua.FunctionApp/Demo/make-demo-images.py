#!/usr/bin/env python3
"""Draws the demo seal (a red round stamp) and signature (a blue scribble) as RGBA PNGs on a
transparent ground. Only the standard library is used; run it from this folder to redraw them."""
import math, struct, zlib

S = 4  # supersampling per axis, to smooth the edges

def png(path, width, height, ink, colour):
    """ink: a set of (x, y) cells of a grid S times finer than the image."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            covered = sum((x * S + i, y * S + j) in ink for i in range(S) for j in range(S))
            alpha = round(255 * covered / (S * S))
            rows += bytes(colour if alpha else (255, 255, 255)) + bytes([alpha])
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(bytes(rows), 9)))
        f.write(chunk(b"IEND", b""))

def fill(width, height, inside):
    return {(i, j) for i in range(width * S) for j in range(height * S) if inside((i + 0.5) / S, (j + 0.5) / S)}

def stroke(points, radius):
    ink = set()
    r = radius * S
    for px, py in points:
        for i in range(int((px - radius) * S), int((px + radius) * S) + 1):
            for j in range(int((py - radius) * S), int((py + radius) * S) + 1):
                if (i + 0.5 - px * S) ** 2 + (j + 0.5 - py * S) ** 2 <= r * r:
                    ink.add((i, j))
    return ink

def seal(x, y):
    cx = cy = 120
    r = math.hypot(x - cx, y - cy)
    angle = math.atan2(y - cy, x - cx)
    ring = 107 <= r <= 116 or 88 <= r <= 92
    dots = 97 <= r <= 103 and int((angle + math.pi) / (2 * math.pi) * 48) % 2 == 0
    sector = ((angle + math.pi / 2) % (2 * math.pi / 5)) / (2 * math.pi / 5)
    star = r <= 17 + 23 * abs(1 - 2 * sector) ** 1.6
    return ring or dots or star

def signature_points():
    # A looping stroke across the whole width and a flourish under it.
    for t in range(1500):
        s = t / 1500
        yield 12 + 336 * s, 70 + 38 * math.sin(s * 9 * math.pi) * (1 - 0.5 * s) + 10 * math.cos(s * 23)
    for t in range(600):
        s = t / 600
        yield 40 + 290 * s, 122 - 8 * math.sin(s * math.pi)

png("seal.png", 240, 240, fill(240, 240, seal), (205, 25, 30))
png("signature.png", 360, 140, stroke(list(signature_points()), 3.2), (25, 45, 150))

"""Pixel measures of a decoded image: the product's box, the background around it, perceptual hashes.

The picture is judged by its product, not its frame: `product_box` finds the box holding what is not
near-white background; BACKGROUND judges the border outside it, HASH hashes inside it.
Imported by the image probe only when a selected rule asks for a decoded fact (numpy, Pillow).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PIL import Image

from aelint.images import BACKGROUND, HASH, HASH_CROPS, HASH_SIDE, THUMB_CELLS, crop_box

NEAR_WHITE = 230                 # a pixel whose darkest channel is at least this is near-white
TRIM_SHARE = 0.005               # the product's box leaves out this share of its weight at each side
BACKGROUND_MAX_BOX = 0.85        # judge the border outside the product when its box leaves that much free


def _on_white(image: Image.Image) -> Image.Image:
    """The image in RGB, transparent parts shown on white (as AliExpress shows them)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    return image.convert("RGB")


def _darkest(pixels: np.ndarray) -> np.ndarray:
    """Each pixel's darkest channel (much faster than pixels.min(axis=2))."""
    return np.minimum(np.minimum(pixels[..., 0], pixels[..., 1]), pixels[..., 2])


def _span(profile: np.ndarray) -> tuple[int, int]:
    """The index range holding all but TRIM_SHARE of a profile's mass at either end."""
    cumulative = np.cumsum(profile)
    total = cumulative[-1]
    low = int(np.searchsorted(cumulative, TRIM_SHARE * total, side="right"))
    high = int(np.searchsorted(cumulative, (1 - TRIM_SHARE) * total, side="left")) + 1
    return low, max(high, low + 1)


def product_box(pixels: np.ndarray) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of what is not near-white background, or None for a blank picture.

    Each pixel weighs by how far its darkest channel is below NEAR_WHITE; the box leaves out the
    TRIM_SHARE of that weight at each side, so JPEG noise, dust and soft shadow tails do not move it.
    """
    weight = np.clip(NEAR_WHITE - _darkest(pixels).astype(np.int32), 0, None)
    if not weight.any():
        return None
    left, right = _span(weight.sum(axis=0))
    top, bottom = _span(weight.sum(axis=1))
    return left, top, right, bottom


def _background(pixels: np.ndarray, box: tuple[int, int, int, int] | None) -> float:
    """Share of near-white pixels in the frame's border strip outside the product's box.

    A product touching one or two edges leaves the rest of the strip to judge; when the product's box
    covers more than BACKGROUND_MAX_BOX of the frame (a close-up, or a coloured or lifestyle background,
    which is "product" everywhere), the whole strip is judged.
    """
    h, w = pixels.shape[:2]
    k = max(1, min(h, w) // 32)
    strip = np.ones((h, w), dtype=bool)
    strip[k:h - k, k:w - k] = False
    white = _darkest(pixels) >= NEAR_WHITE
    if box is not None:
        left, top, right, bottom = box
        if (right - left) * (bottom - top) <= BACKGROUND_MAX_BOX * w * h:
            strip[top:bottom, left:right] = False
    total = int(strip.sum())
    return round(int((white & strip).sum()) / total, 4) if total else 1.0


_DCT = np.array([[math.cos(math.pi * (2 * n + 1) * k / 64) for n in range(32)] for k in range(8)])
_DCT.setflags(write=False)


def _dct_hashes(grey: Image.Image, boxes) -> list[int]:
    """64-bit DCT hashes (pHash) of regions of `grey`: the 8x8 lowest frequencies of each region
    shrunk to 32x32 grey, against their median."""
    stack = np.stack([np.asarray(grey.resize((32, 32), Image.Resampling.BOX, box=box), dtype=np.float64)
                      for box in boxes])
    coeffs = (_DCT @ stack @ _DCT.T).reshape(len(boxes), 64)
    medians = np.median(coeffs[:, 1:], axis=1)
    bits = np.packbits(coeffs > medians[:, None], axis=1)
    return [int.from_bytes(row.tobytes(), "big") for row in bits]


def _hash_facts(rgb: Image.Image, pixels: np.ndarray, box) -> tuple[int, bytes, tuple[int, int, int], bytes]:
    """(hash, crop hashes, product colour, colour thumbnail) of the product inside `box`.

    The hash is taken over the product's box, stretched to a square, so the white margin around a
    small item does not count. The crop hashes are of sub-boxes cutting up to 10 % off each side (a
    copy cropped that much matches one of them); the colour is the mean of the product's pixels; the
    thumbnail (THUMB_CELLS squared RGB pixels of the box) lets a candidate pair be compared in colour.
    """
    if box is None:
        box = (0, 0, rgb.width, rgb.height)
    left, top, right, bottom = box
    grey = rgb.convert("L").resize((HASH_SIDE, HASH_SIDE), Image.Resampling.BOX, box=box)
    region = pixels[top:bottom, left:right]
    product = region[_darkest(region) < NEAR_WHITE]
    means = (product if len(product) else region.reshape(-1, 3)).mean(axis=0)
    colour = (round(float(means[0])), round(float(means[1])), round(float(means[2])))
    hashes = _dct_hashes(grey, [crop_box(HASH_SIDE, cut) for cut in HASH_CROPS])
    crops = b"".join(value.to_bytes(8, "big") for value in hashes[1:])
    thumb = rgb.resize((THUMB_CELLS, THUMB_CELLS), Image.Resampling.BOX, box=box).tobytes()
    return hashes[0], crops, colour, thumb



def measures(image: Image.Image, wanted: frozenset[str]) -> dict[str, Any]:
    """The decoded facts in `wanted` (BACKGROUND, HASH but the bytes' digest) of a loaded image, as
    ImageFacts fields."""
    rgb = _on_white(image)
    pixels = np.asarray(rgb)
    box = product_box(pixels)
    found: dict[str, Any] = {}
    if BACKGROUND in wanted:
        found["background"] = _background(pixels, box)
    if HASH in wanted:
        found["phash"], found["crops"], found["colour"], found["thumb"] = _hash_facts(rgb, pixels, box)
    return found

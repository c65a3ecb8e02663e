"""Illustrations for the demo articles, drawn locally with Pillow (no network).

Each picture is a colour gradient with translucent shapes and a caption band. The same
seed always gives the same JPEG bytes, so reruns are stable.
"""

import io
import math
import random
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.utils.file import hash_filelike

from hub.models import SiarImage

from .content import IMAGE_CREDIT, REGENCY, CategorySpec

WIDTH, HEIGHT = 1600, 1000
Color = tuple[int, int, int]


@dataclass(frozen=True)
class Illustration:
    """What to draw: ``headline`` large (the category name), ``label`` under it."""

    title: str  # the image's title in Wagtail; also how it is found again
    file_name: str
    seed: str
    headline: str
    label: str
    category: CategorySpec

    @property
    def alt_text(self) -> str:
        return (
            f"Ilustrasi bergradasi {self.category.color_name} dengan bentuk-bentuk geometris, "
            f"bertuliskan “{self.headline}” dan “{self.label}”"
        )


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int


def render(illustration: Illustration) -> tuple[bytes, Box]:
    """The JPEG bytes of an illustration, and the box of its caption band (the focal area)."""
    rng = random.Random(illustration.seed)
    start, end = illustration.category.colors
    canvas = _gradient(start, end, angle=rng.uniform(-35, 35)).convert("RGBA")
    canvas.alpha_composite(_shapes(rng))
    band = _caption_band(canvas, illustration.headline, illustration.label)
    buffer = io.BytesIO()
    canvas.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue(), band


def ensure_image(illustration: Illustration) -> tuple[SiarImage, bool]:
    """The image with this title, drawn and saved first if there is none. Returns (image, created)."""
    existing = SiarImage.objects.filter(title=illustration.title).order_by("pk").first()
    if existing is not None:
        return existing, False
    data, band = render(illustration)
    image = SiarImage(
        title=illustration.title,
        credit=IMAGE_CREDIT,
        file=ImageFile(io.BytesIO(data), name=illustration.file_name),
        file_size=len(data),
        file_hash=hash_filelike(io.BytesIO(data)),
        focal_point_x=(band.left + band.right) // 2,
        focal_point_y=(band.top + band.bottom) // 2,
        focal_point_width=band.right - band.left,
        focal_point_height=band.bottom - band.top,
    )
    image.save()
    return image, True


def _gradient(start: Color, end: Color, angle: float) -> Image.Image:
    """A linear gradient from ``start`` (top) to ``end`` (bottom), tilted by ``angle`` degrees."""
    diagonal = math.ceil(math.hypot(WIDTH, HEIGHT))
    mask = Image.linear_gradient("L").resize((diagonal, diagonal), Image.Resampling.BILINEAR)
    mask = mask.rotate(angle, resample=Image.Resampling.BILINEAR)
    left, top = (diagonal - WIDTH) // 2, (diagonal - HEIGHT) // 2
    mask = mask.crop((left, top, left + WIDTH, top + HEIGHT))
    return Image.composite(Image.new("RGB", mask.size, end), Image.new("RGB", mask.size, start), mask)


def _shapes(rng: random.Random) -> Image.Image:
    """Translucent circles, rounded tiles and lines on a transparent layer."""
    layer = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(5, 8)):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, HEIGHT), rng.randint(60, 320)
        fill = (255, 255, 255, rng.randint(20, 55)) if rng.random() < 0.7 else (0, 0, 0, rng.randint(20, 45))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
    for _ in range(rng.randint(2, 4)):
        x, y = rng.randint(-100, WIDTH - 200), rng.randint(-100, HEIGHT - 200)
        w, h = rng.randint(180, 520), rng.randint(120, 360)
        draw.rounded_rectangle((x, y, x + w, y + h), radius=36, fill=(255, 255, 255, rng.randint(15, 40)))
    for _ in range(rng.randint(3, 6)):
        y0, y1 = rng.randint(0, HEIGHT), rng.randint(0, HEIGHT)
        draw.line((0, y0, WIDTH, y1), fill=(255, 255, 255, 60), width=rng.randint(2, 6))
    return layer


def _fitting_font(draw: ImageDraw.ImageDraw, text: str, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    while True:
        font = ImageFont.load_default(size=size)
        if size <= 24 or draw.textlength(text, font=font) <= max_width:
            return font
        size -= 8


def _caption_band(canvas: Image.Image, headline: str, label: str) -> Box:
    """Draw the headline and label on a dark band across the middle; return the band's box."""
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    max_text = WIDTH - 320
    headline_font = _fitting_font(draw, headline, 150, max_text)
    label_font = _fitting_font(draw, label, 60, max_text)
    headline_box = draw.textbbox((0, 0), headline, font=headline_font, anchor="ls")
    label_box = draw.textbbox((0, 0), label, font=label_font, anchor="ls")
    text_width = max(headline_box[2] - headline_box[0], label_box[2] - label_box[0])
    headline_height = headline_box[3] - headline_box[1]
    label_height = label_box[3] - label_box[1]
    gap, padding = 40, 56
    band_height = headline_height + gap + label_height + 2 * padding
    band = Box(
        left=(WIDTH - text_width) // 2 - padding,
        top=(HEIGHT - band_height) // 2,
        right=(WIDTH + text_width) // 2 + padding,
        bottom=(HEIGHT + band_height) // 2,
    )
    draw.rounded_rectangle((band.left, band.top, band.right, band.bottom), radius=28, fill=(0, 0, 0, 120))
    headline_baseline = band.top + padding - headline_box[1]
    draw.text((WIDTH // 2, headline_baseline), headline, font=headline_font, fill="white", anchor="ms")
    label_baseline = headline_baseline + headline_box[3] + gap - label_box[1]
    draw.text((WIDTH // 2, label_baseline), label, font=label_font, fill=(255, 255, 255, 230), anchor="ms")
    footer_font = ImageFont.load_default(size=30)
    draw.text((48, HEIGHT - 44), f"{REGENCY} · ilustrasi", font=footer_font, fill=(255, 255, 255, 200), anchor="ls")
    canvas.alpha_composite(overlay)
    return band

"""Turning an upload into a photo that is safe to store and show.

The file type is sniffed by decoding it, never taken from the name or the
browser; the image is re-encoded, which drops EXIF (GPS included) and any
payload hidden after the image data; the stored name is generated.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 2560


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """Validate and re-encode one upload; raises ValidationError with a reason."""
    max_bytes = settings.PHOTO_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"“{upload.name}” is larger than {max_bytes // (1024 * 1024)} MB. "
            "Please choose a smaller photo.",
            code="too_large",
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError("That photo is too large.", code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            f"“{upload.name}” is not a photo we can read. Please use a JPEG, PNG "
            "or WebP image.",
            code="not_an_image",
        ) from None
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            f"“{upload.name}” is a {image_format} file; please use a JPEG, PNG or "
            "WebP image.",
            code="bad_format",
        )
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(
            f"“{upload.name}” has too many pixels ({width} x {height}); please use "
            "a photo under 40 megapixels.",
            code="too_many_pixels",
        )
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        keep_png = image_format == "PNG" and image.mode in ("RGBA", "LA", "P")
        out = io.BytesIO()
        if keep_png:
            image.save(out, format="PNG", optimize=True)
            ext = "png"
        else:
            image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            ext = "jpg"
        size = image.size
    return CleanPhoto(
        content=ContentFile(out.getvalue(), name=f"photo.{ext}"),
        width=size[0],
        height=size[1],
    )

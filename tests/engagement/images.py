"""Image uploads made in memory for photo tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# A GPS IFD with a position in Boston, as a phone would write it.
GPS_TAG = 0x8825


def jpeg_with_gps(name: str = "pothole.jpg", size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_TAG] = {1: "N", 2: (42.0, 21.0, 0.0), 3: "W", 4: (71.0, 3.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "sign.png", size=(32, 32)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def gif(name: str = "anim.gif") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, format="GIF")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/gif")


def not_an_image(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"#!/bin/sh\necho owned\n", content_type="image/jpeg"
    )

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from engagement.services.attributes import clean_attribute_answers
from engagement.services.photos import clean_photo
from tests.engagement.factories import ServiceAttributeFactory, ServiceFactory
from tests.engagement.images import gif, jpeg_with_gps, not_an_image, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    service = ServiceFactory()
    ServiceAttributeFactory(
        service=service, code="count", datatype="number", description="How many?"
    )
    ServiceAttributeFactory(
        service=service,
        code="kinds",
        datatype="multivaluelist",
        description="Which?",
        values=[{"key": "a", "name": "A"}, {"key": "b"}],
    )
    ServiceAttributeFactory(
        service=service, code="when", datatype="datetime", description="Since when?"
    )
    ServiceAttributeFactory(
        service=service, code="note", datatype="string", description="Note"
    )
    return service


def test_answers_are_typed(service):
    cleaned = clean_attribute_answers(
        service=service,
        answers={
            "count": "3",
            "kinds": ["a", "b"],
            "when": "2026-05-01T10:00",
            "note": " hi ",
        },
    )
    assert cleaned == {
        "count": 3,
        "kinds": ["a", "b"],
        "when": "2026-05-01T10:00:00",
        "note": "hi",
    }


@pytest.mark.parametrize(
    ("answers", "field", "text"),
    [
        ({"count": "many"}, "attribute_count", "needs a number"),
        ({"count": "nan"}, "attribute_count", "needs a number"),
        ({"kinds": ["z"]}, "attribute_kinds", "Not a choice"),
        ({"when": "yesterday"}, "attribute_when", "needs a date"),
        ({"note": "x" * 201}, "attribute_note", "at most 200"),
    ],
)
def test_bad_answers_are_explained_per_question(service, answers, field, text):
    with pytest.raises(ValidationError) as exc:
        clean_attribute_answers(service=service, answers=answers)
    assert text in exc.value.message_dict[field][0]


def test_photo_is_reencoded_without_metadata():
    photo = clean_photo(jpeg_with_gps())
    with Image.open(io.BytesIO(photo.content.read())) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
    assert (photo.width, photo.height) == (64, 48)


def test_transparent_png_stays_png():
    photo = clean_photo(png())
    assert photo.content.name.endswith(".png")


@pytest.mark.parametrize("upload", [not_an_image, gif])
def test_non_photos_are_refused(upload):
    with pytest.raises(ValidationError):
        clean_photo(upload())


def test_type_is_sniffed_not_taken_from_the_name():
    disguised = jpeg_with_gps("innocent.gif")
    assert clean_photo(disguised).content.name.endswith(".jpg")


def test_size_and_pixel_caps(settings):
    settings.PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than"):
        clean_photo(SimpleUploadedFile("big.jpg", b"x" * 2000))
    settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
    settings.PHOTO_MAX_PIXELS = 100
    with pytest.raises(ValidationError, match="too many pixels"):
        clean_photo(jpeg_with_gps(size=(20, 20)))


def test_huge_downscaled_for_storage():
    photo = clean_photo(jpeg_with_gps(size=(3000, 200)))
    assert photo.width == 2560

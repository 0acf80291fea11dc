import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content
    assert b'href="/"' in response.content


@override_settings(ROOT_URLCONF="tests.config.boom_urls")
def test_server_error_is_a_friendly_500(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"boom" not in response.content

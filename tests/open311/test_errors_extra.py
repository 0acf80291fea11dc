"""A wrong method is answered in Open311's own error format, CSRF or not."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/open311/v2/services.json", "/open311/v2/discovery.json"]
)
def test_post_to_a_read_only_endpoint_is_an_open311_405(path):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"x": "1"})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()[0]["description"] == "POST is not allowed here."

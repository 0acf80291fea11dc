"""Load test: what fifty people at once do to one CivicPulse process.

Run by ``python -m bench.load`` (which prepares the data, starts daphne and
passes ``LOAD_FIXTURE``, a JSON file of residents, a service to report under,
real places, request ids and map boxes). Most users are visitors reading the
site: home, the map API city-wide and street-level, request pages, the list,
Open311, leaderboards, the performance page. About one in five is a signed-in,
verified resident who also files reports and supports requests, through the
real forms with their CSRF tokens.

This module imports locust (and so gevent, which monkey-patches the standard
library): it must never be imported into the Django or test process.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _fixture() -> dict:
    path = os.environ.get("LOAD_FIXTURE")
    if not path:
        # Importable without a fixture (``locust --help``, the import check).
        return {
            "residents": [],
            "service": "",
            "places": [],
            "request_ids": [],
            "city_bbox": "",
            "street_bbox": "",
            "open311_query": "",
        }
    with open(path) as f:
        return json.load(f)


FIXTURE = _fixture()


def _think() -> tuple[float, float]:
    """Seconds a user waits between pages, from ``LOAD_THINK`` ("MIN,MAX")."""
    low, high = os.environ.get("LOAD_THINK", "3,10").split(",")
    return float(low), float(high)


THINK = _think()
# Each resident signs in once, with an account of their own.
_RESIDENTS = itertools.cycle(FIXTURE["residents"] or [None])


def csrf_token(html: str) -> str:
    """The form's CSRF token, as the browser would submit it."""
    match = CSRF_INPUT.search(html)
    if match is None:
        raise ValueError("no csrfmiddlewaretoken in the page")
    return match.group(1)


class Visitor(HttpUser):
    """Someone reading the site without signing in."""

    weight = 4
    wait_time = between(*THINK)

    def _request_id(self) -> str:
        return random.choice(FIXTURE["request_ids"])

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(4)
    def map_city(self) -> None:
        self.client.get(
            f"/api/requests.geojson?bbox={FIXTURE['city_bbox']}&zoom=12",
            name="/api/requests.geojson city-wide",
        )

    @task(4)
    def map_street(self) -> None:
        self.client.get(
            f"/api/requests.geojson?bbox={FIXTURE['street_bbox']}&zoom=17",
            name="/api/requests.geojson street-level",
        )

    @task(4)
    def request_page(self) -> None:
        self.client.get(f"/requests/{self._request_id()}/", name="/requests/[id]/")

    @task(2)
    def request_list(self) -> None:
        self.client.get("/requests/", name="/requests/")

    @task(1)
    def open311_services(self) -> None:
        self.client.get("/open311/v2/services.json", name="/open311/v2/services.json")

    @task(2)
    def open311_requests(self) -> None:
        self.client.get(
            f"/open311/v2/requests.json?{FIXTURE['open311_query']}",
            name="/open311/v2/requests.json",
        )

    @task(1)
    def leaderboards(self) -> None:
        self.client.get("/leaderboards", name="/leaderboards")

    @task(1)
    def performance(self) -> None:
        self.client.get("/performance/", name="/performance/")


class Resident(Visitor):
    """A signed-in, verified resident: reads like a visitor, and writes."""

    weight = 1

    def on_start(self) -> None:
        account = next(_RESIDENTS)
        if account is None:
            raise RuntimeError("LOAD_FIXTURE has no residents")
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        with self.client.post(
            "/accounts/login/",
            {
                "login": account["email"],
                "password": account["password"],
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            name="POST /accounts/login/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    @task(3)
    def report(self) -> None:
        code = FIXTURE["service"]
        form = self.client.get(f"/report/?service={code}", name="/report/?service=")
        if form.status_code != 200:
            return
        lat, long = random.choice(FIXTURE["places"])
        with self.client.post(
            "/report/",
            {
                "service": code,
                "lat": lat,
                "long": long,
                "description": "Load test: a broken streetlight on the corner",
                "csrfmiddlewaretoken": csrf_token(form.text),
            },
            name="POST /report/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"report answered {response.status_code}")

    @task(3)
    def support(self) -> None:
        public_id = self._request_id()
        page = self.client.get(f"/requests/{public_id}/", name="/requests/[id]/")
        match = CSRF_INPUT.search(page.text)
        if page.status_code != 200 or match is None:
            return  # e.g. the reporter's own request: no support button
        with self.client.post(
            f"/requests/{public_id}/support/",
            {"csrfmiddlewaretoken": match.group(1)},
            name="POST /requests/[id]/support/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"support answered {response.status_code}")

"""A few reports filed the way a resident files them, so a fresh site shows a
live feed, a followed request and duplicates to support."""

from django.db import transaction

from accounts.models import User

from .models import Service, ServiceRequest
from .services.requests import create_service_request

DEMO_REPORTS = [
    (
        "REQPOTHL",
        42.35066,
        -71.07735,
        "Boylston St & Dartmouth St",
        "Deep pothole in the right lane, cars swerve around it.",
        {"size": "large"},
    ),
    (
        "STRLGTOUT",
        42.31630,
        -71.11210,
        "Jamaicaway by the pond path",
        "Two lights out along the path, very dark at night.",
        {"lights_out": 2},
    ),
    (
        "GENGRAFFITI",
        42.33190,
        -71.08470,
        "Tremont St & Melnea Cass Blvd",
        "Tags on the utility box at the corner.",
        {"offensive": "no"},
    ),
]


@transaction.atomic
def file_demo_reports(*, email: str = "resident@civicpulse.local") -> int:
    """File the demo reports once; returns how many were filed now."""
    reporter = User.objects.filter(email=email).first()
    if reporter is None or ServiceRequest.objects.filter(reporter=reporter).exists():
        return 0
    filed = 0
    for code, lat, long, address, description, answers in DEMO_REPORTS:
        service = Service.objects.filter(service_code=code, active=True).first()
        if service is None:
            continue
        create_service_request(
            reporter=reporter,
            service=service,
            lat=lat,
            long=long,
            address=address,
            description=description,
            attributes=answers,
        )
        filed += 1
    return filed

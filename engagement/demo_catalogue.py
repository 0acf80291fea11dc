"""Boston's services catalogue with the questions and targets a city would set.

Boston's services.json names and groups its services but carries no
attribute definitions or service levels; these are CivicPulse's own demo
choices for a handful of common services.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Service
from .services.catalogue import CatalogueResult, define_attributes, load_services_file

SERVICES_FILE = (
    Path(settings.BASE_DIR) / "demo" / "data" / "boston_open311_services.json"
)

SIZE_VALUES = [
    {"key": "small", "name": "Smaller than a dinner plate"},
    {"key": "medium", "name": "About the size of a car tire"},
    {"key": "large", "name": "Larger than a car tire"},
]

ATTRIBUTES = {
    "REQPOTHL": [
        {
            "code": "size",
            "datatype": "singlevaluelist",
            "required": True,
            "description": "How big is the pothole?",
            "values": SIZE_VALUES,
        },
        {
            "code": "location_in_road",
            "datatype": "singlevaluelist",
            "description": "Where in the road is it?",
            "values": [
                {"key": "lane", "name": "In a travel lane"},
                {"key": "bike", "name": "In a bike lane"},
                {"key": "crosswalk", "name": "In a crosswalk"},
                {"key": "edge", "name": "At the curb or edge"},
            ],
        },
    ],
    "STRLGTOUT": [
        {
            "code": "pole_number",
            "datatype": "string",
            "description": "Pole number (on a metal tag on the pole), if visible",
            "datatype_description": "Letters and digits, e.g. BL-12345.",
        },
        {
            "code": "lights_out",
            "datatype": "number",
            "required": True,
            "description": "How many lights are out?",
        },
    ],
    "STRLGTKDWN": [
        {
            "code": "pole_number",
            "datatype": "string",
            "description": "Pole number, if you can see it",
        },
        {
            "code": "wires_exposed",
            "datatype": "singlevaluelist",
            "required": True,
            "description": "Are any wires exposed?",
            "values": [
                {"key": "yes", "name": "Yes"},
                {"key": "no", "name": "No"},
                {"key": "unsure", "name": "Not sure"},
            ],
        },
    ],
    "GENGRAFFITI": [
        {
            "code": "surface",
            "datatype": "multivaluelist",
            "description": "What is the graffiti on?",
            "values": [
                {"key": "building", "name": "A building"},
                {"key": "sign", "name": "A sign or pole"},
                {"key": "mailbox", "name": "A mailbox or utility box"},
                {"key": "other", "name": "Something else"},
            ],
        },
        {
            "code": "offensive",
            "datatype": "singlevaluelist",
            "required": True,
            "description": "Is it offensive or hateful?",
            "values": [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}],
        },
    ],
    "SDWRPR": [
        {
            "code": "trip_hazard",
            "datatype": "singlevaluelist",
            "required": True,
            "description": "Is it a trip hazard?",
            "values": [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}],
        },
    ],
}

# (expected_days, duplicate radius in metres)
SERVICE_LEVELS = {
    "REQPOTHL": (2, 30),
    "STRLGTOUT": (7, 30),
    "STRLGTKDWN": (1, 30),
    "MJRSYSFAIL": (2, 100),
    "GENGRAFFITI": (14, 25),
    "SDWRPR": (30, 30),
    "EMPLITBSKT": (2, 25),
    "ILGLDUMP": (3, 50),
    "PUDEADANML": (1, 50),
    "TFCSGNINSP": (1, 30),
    "CATCHBASE": (7, 30),
    "TREEEMGNCY": (1, 50),
    "UNSHVSDWLK": (2, 30),
    "MISDMGSGN": (7, 30),
}
# Reports about homes and vulnerable people: the public sees only an area.
SENSITIVE = {
    "NEEDRMVL",
    "UCCAMPS",
    "BEDBUG",
    "LEADPNT",
    "OVRCRWD",
    "UNSATLC",
    "SQUALIDLC",
    "HEAT",
    "RATBITE",
    "DGRCOND",
}


@transaction.atomic
def load_demo_catalogue() -> CatalogueResult:
    """Load Boston's catalogue, then the demo questions and service levels."""
    result = load_services_file(path=SERVICES_FILE)
    for code, attributes in ATTRIBUTES.items():
        service = Service.objects.filter(service_code=code).first()
        if service and _needs_definition(service, attributes):
            define_attributes(service=service, attributes=attributes)
    for code, (days, radius) in SERVICE_LEVELS.items():
        Service.objects.filter(service_code=code).update(
            expected_days=days, duplicate_radius_m=radius
        )
    Service.objects.filter(service_code__in=SENSITIVE).update(sensitive=True)
    return result


def _needs_definition(service: Service, attributes: list[dict]) -> bool:
    have = list(service.attributes.values_list("code", flat=True))
    return have != [a["code"] for a in attributes]

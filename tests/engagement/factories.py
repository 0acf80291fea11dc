"""Factories for the service-request catalogue and requests."""

import factory
from django.utils import timezone

from engagement.models import (
    Department,
    RequestStatus,
    Service,
    ServiceAttribute,
    ServiceRequest,
    Source,
)
from tests.factories import UserFactory

# A point in Boston's Back Bay, inside the real neighborhood polygons.
BACK_BAY = (42.3503, -71.0810)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DEPT{n}")
    name = factory.Sequence(lambda n: f"Department {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("service_code",)

    service_code = factory.Sequence(lambda n: f"SVC{n:03d}")
    name = factory.Sequence(lambda n: f"Service {n}")
    group = "Streets-Sidewalks"
    keywords = "street, sidewalk"
    department = factory.SubFactory(DepartmentFactory)
    expected_days = 3


class ServiceAttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAttribute

    service = factory.SubFactory(ServiceFactory)
    code = factory.Sequence(lambda n: f"attr{n}")
    datatype = "string"
    description = factory.Sequence(lambda n: f"Question {n}?")


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request at a fixed point; no neighborhood unless given one."""

    class Meta:
        model = ServiceRequest

    service = factory.SubFactory(ServiceFactory)
    status = RequestStatus.OPEN
    description = "Something needs fixing here."
    lat = BACK_BAY[0]
    long = BACK_BAY[1]
    public_lat = factory.SelfAttribute("lat")
    public_long = factory.SelfAttribute("long")
    address = "100 Boylston St"
    reporter = factory.SubFactory(UserFactory)
    source = Source.WEB
    requested_datetime = factory.LazyFunction(timezone.now)
    updated_datetime = factory.LazyFunction(timezone.now)

"""Staff, departments and requests for the workflow tests."""

from dataclasses import dataclass

import factory

from accounts.models import User
from engagement.models import Department, ServiceRequest, StaffMembership, StaffRole
from tests.engagement.factories import (
    DepartmentFactory,
    ServiceFactory,
    ServiceRequestFactory,
)
from tests.factories import UserFactory


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = StaffRole.WORKER


@dataclass
class City:
    works: Department
    parks: Department
    lead: User
    worker: User
    other_worker: User
    parks_lead: User
    resident: User
    request: ServiceRequest
    parks_request: ServiceRequest


def make_city(**request_kwargs) -> City:
    works = DepartmentFactory(code="PWD", name="Public Works")
    parks = DepartmentFactory(code="PARKS", name="Parks")
    pothole = ServiceFactory(service_code="POTHOLE", name="Pothole", department=works)
    tree = ServiceFactory(service_code="TREE", name="Tree pruning", department=parks)
    lead = StaffMembershipFactory(department=works, role=StaffRole.LEAD).user
    worker = StaffMembershipFactory(department=works).user
    other_worker = StaffMembershipFactory(department=works).user
    parks_lead = StaffMembershipFactory(department=parks, role=StaffRole.LEAD).user
    return City(
        works=works,
        parks=parks,
        lead=lead,
        worker=worker,
        other_worker=other_worker,
        parks_lead=parks_lead,
        resident=UserFactory(),
        request=ServiceRequestFactory(service=pothole, **request_kwargs),
        parks_request=ServiceRequestFactory(service=tree),
    )

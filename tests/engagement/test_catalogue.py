import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from engagement.demo_catalogue import load_demo_catalogue
from engagement.models import Department, Service
from engagement.services.catalogue import CatalogueError, load_services

pytestmark = pytest.mark.django_db

BOSTON_SERVICES = settings.BASE_DIR / "demo" / "data" / "boston_open311_services.json"


def test_loads_bostons_real_catalogue_idempotently(capsys):
    call_command("load_services", str(BOSTON_SERVICES))
    assert "118 services: 118 created" in capsys.readouterr().out
    assert Service.objects.count() == 118
    assert Department.objects.count() == 30
    bike = Service.objects.get(service_code="ABNDBIKE")
    assert bike.group == "Traffic-Vehicles"
    assert bike.department.name == "Transportation-Boston Bikes"
    call_command("load_services", str(BOSTON_SERVICES))
    assert "0 created, 0 updated, 118 unchanged" in capsys.readouterr().out


def test_reload_keeps_local_service_levels():
    data = json.loads(BOSTON_SERVICES.read_text())
    load_services(data=data)
    Service.objects.filter(service_code="REQPOTHL").update(
        expected_days=2, sensitive=True
    )
    data[0]["service_name"] = "Renamed upstream"
    result = load_services(data=data)
    assert result.updated == 1
    pothole = Service.objects.get(service_code="REQPOTHL")
    assert (pothole.expected_days, pothole.sensitive) == (2, True)


def test_entries_without_code_are_skipped_with_reason():
    result = load_services(
        data=[{"service_name": "No code"}, {"service_code": "X1", "service_name": "Ok"}]
    )
    assert result.created == 1
    assert result.skipped == ["entry 0: no service_code or service_name"]


@pytest.mark.parametrize("data", [{"not": "a list"}, "text", 42])
def test_not_a_services_list_writes_nothing(data):
    with pytest.raises(CatalogueError):
        load_services(data=data)
    assert not Service.objects.exists()


def test_command_reports_bad_files_clearly(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_services", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_services", str(tmp_path / "missing.json"))


def test_demo_catalogue_adds_questions_levels_and_sensitivity():
    load_demo_catalogue()
    load_demo_catalogue()
    pothole = Service.objects.get(service_code="REQPOTHL")
    assert [a.code for a in pothole.attributes.all()] == ["size", "location_in_road"]
    assert pothole.expected_days == 2
    assert Service.objects.get(service_code="NEEDRMVL").sensitive

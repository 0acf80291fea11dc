"""The services a resident can report, and the departments that handle them."""

from django.db import models


class Department(models.Model):
    """A city department or crew queue: who a request is routed to."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    web_link = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """An Open311 service: a kind of problem a request can be about."""

    service_code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    group = models.CharField(max_length=100, blank=True, db_index=True)
    keywords = models.CharField(max_length=500, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    type = models.CharField(
        max_length=20,
        default="realtime",
        choices=[
            ("realtime", "realtime"),
            ("batch", "batch"),
            ("blackbox", "blackbox"),
        ],
    )
    expected_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Service-level target: days from report to close.",
    )
    active = models.BooleanField(
        default=True,
        help_text="Inactive services are kept for history but cannot be reported.",
    )
    sensitive = models.BooleanField(
        default=False,
        help_text="Public maps and feeds show only an area of about 250 m, "
        "not the exact place.",
    )
    duplicate_radius_m = models.PositiveIntegerField(
        "duplicate radius (m)",
        default=50,
        help_text="Open requests of this service closer than this are offered "
        "as possible duplicates.",
    )

    class Meta:
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_metadata(self) -> bool:
        return self.attributes.exists()


class AttributeDatatype(models.TextChoices):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"


class ServiceAttribute(models.Model):
    """A question a service asks the reporter (Open311 service definition)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(max_length=64)
    datatype = models.CharField(max_length=20, choices=AttributeDatatype.choices)
    required = models.BooleanField(default=False)
    variable = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(
        max_length=300, help_text="The question, as the reporter sees it."
    )
    datatype_description = models.CharField(max_length=300, blank=True)
    values = models.JSONField(
        default=list,
        blank=True,
        help_text='For lists: [{"key": "small", "name": "Smaller than a plate"}]',
    )

    class Meta:
        ordering = ["service", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "code"], name="unique_attribute_code_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service.service_code}.{self.code}"

    def value_keys(self) -> list[str]:
        return [str(v["key"]) for v in self.values]

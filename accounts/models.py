"""The CivicPulse account: an email login, a public display name, privacy choices."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

FORMER_RESIDENT_NAME = "a former resident"


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class EmailUpdates(models.TextChoices):
    EACH = "each", "An email for each change"
    DAILY = "daily", "One email a day with all the changes"


class User(AbstractUser):
    """A resident, staff member or organizer.

    Public pages show ``public_name`` only: never the email, and never the
    display name of someone who deleted their account.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="The name others see next to your reports and comments. "
        "Leave it empty to appear as “a resident”.",
    )
    show_on_leaderboards = models.BooleanField(
        "appear on leaderboards",
        default=False,
        help_text="Show your display name and points on public leaderboards.",
    )
    public_profile = models.BooleanField(
        "public profile",
        default=False,
        help_text="Let others open a page with your display name, badges and "
        "public contributions.",
    )
    email_updates = models.CharField(
        "email about requests I follow",
        max_length=10,
        choices=EmailUpdates.choices,
        default=EmailUpdates.EACH,
        help_text="Status changes of requests you report, support or follow. "
        "In-site notifications arrive either way.",
    )
    deleted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the person deleted their account; the row stays so "
        "their public contributions keep an author.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self) -> str:
        return self.public_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def public_name(self) -> str:
        """The only name of a person that public output may show."""
        if self.is_deleted:
            return FORMER_RESIDENT_NAME
        return self.display_name or "a resident"

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

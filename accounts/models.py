from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_nip, validate_regon


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address (no username)."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        blank=True,
        help_text=_("Messages are sent in this language; Polish when empty."),
    )

    wants_optional_messages = models.BooleanField(
        _("receives optional messages"),
        default=True,
        help_text=_("Deadlines and decisions are always sent."),
    )
    muted_message_kinds = models.JSONField(
        _("kinds of optional messages not wanted"),
        default=list,
        blank=True,
        help_text=_("Prefixes of notification kinds (see accounts.preferences.MESSAGE_KINDS)."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def wants_message(self, kind: str) -> bool:
        """Whether an optional (non-essential) message of ``kind`` is sent to this user."""
        if not self.wants_optional_messages:
            return False
        return kind.split(".", 1)[0] not in (self.muted_message_kinds or ())

    def roles_in(self, organisation_id: int) -> frozenset[str]:
        """The roles this user holds in an organisation; one query per user object."""
        if not self.is_authenticated:
            return frozenset()
        cache = self.__dict__.get("_roles_by_organisation")
        if cache is None:
            cache, operators = {}, {}
            # The same query brings the operator organisations serving each of the
            # user's organisations (``operators_of``), for read-only visibility.
            for org_id, role, operator_id in Membership.objects.filter(user_id=self.pk).values_list(
                "organisation_id", "role", "organisation__operators__id"
            ):
                cache.setdefault(org_id, set()).add(role)
                if operator_id is not None:
                    operators.setdefault(org_id, set()).add(operator_id)
            self.__dict__["_roles_by_organisation"] = cache
            self.__dict__["_operators_by_organisation"] = operators
        return frozenset(cache.get(organisation_id, ()))

    def operators_of(self, organisation_ids) -> set[int]:
        """The operator organisations whose parent is one of ``organisation_ids`` (among
        the user's organisations); read with the user's roles, no query of its own."""
        self.roles_in(0)  # fills the cache
        if "_operators_by_organisation" not in self.__dict__:
            # The roles were cached by someone else: read them again with operators.
            self.__dict__.pop("_roles_by_organisation", None)
            self.roles_in(0)
        operators = self.__dict__["_operators_by_organisation"]
        return set().union(*(operators.get(org_id, ()) for org_id in organisation_ids))

    def organisation_ids(self, *roles: str) -> list[int]:
        """Organisations where the user holds any of ``roles`` (any role when none given)."""
        self.roles_in(0)  # fills the cache
        cache = self.__dict__["_roles_by_organisation"]
        return sorted(
            org_id for org_id, held in cache.items() if not roles or held.intersection(roles)
        )


class Organisation(models.Model):
    """A grantor or buyer: a municipality, an operator NGO, or another public body."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality (gmina)")
        OPERATOR = "operator", _("operator organisation")
        METROPOLIS = "metropolis", _("metropolis (union of municipalities)")
        OTHER = "other", _("other grantor or buyer")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("legal name"), max_length=255)
    short_name = models.CharField(
        _("short name"),
        max_length=20,
        help_text=_("Used in document and application numbers, e.g. GZM."),
    )
    street = models.CharField(_("street and number"), max_length=255)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100)
    nip = models.CharField(_("NIP"), max_length=10, unique=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("municipality served"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operators",
        help_text=_("For an operator organisation: the municipality it runs a fund for."),
    )
    # Not ``parent``: a parent's staff read an operator's work item by item
    # (``permissions.organisation_ids_readable``), while a metropolis sees only
    # aggregate figures of its members, never a resident's data (``metropolis`` app).
    metropolis = models.ForeignKey(
        "self",
        verbose_name=_("metropolis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_municipalities",
        limit_choices_to={"kind": "metropolis"},
        help_text=_("For a municipality: the metropolis (union of municipalities) it belongs to."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    @property
    def is_metropolis(self) -> bool:
        """A union of municipalities: its staff see its members' figures."""
        return self.kind == self.Kind.METROPOLIS


class Representative(models.Model):
    """A person who signs documents on the organisation's behalf."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representatives"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    function = models.CharField(_("function"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["organisation", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.function}"


class Role(models.TextChoices):
    OFFICIAL = "official", _("official")
    EVALUATOR = "evaluator", _("evaluator")
    FINANCE = "finance", _("finance")
    UNIT_HEAD = "unit_head", _("unit head")
    ORG_ADMIN = "org_admin", _("organisation administrator")


class Membership(models.Model):
    """One role of one user in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.organisation}"

    @property
    def administers(self) -> bool:
        """The organisation administrator's role (links to the self-administration pages)."""
        return self.role == Role.ORG_ADMIN

"""Reads used by views, API and reports. Callers are inside the region scope."""

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django_scopes import scopes_disabled

from kompetensi.api.params import IdOrCode, id_or_code_q

from .models import Employee, Membership, Region, Unit
from .nip import normalise_nip


def region_list_active() -> QuerySet[Region]:
    return Region.objects.filter(is_active=True).order_by("name")


def region_list_for_user(*, user) -> QuerySet[Region]:
    """Regions a user can open: through memberships, or all of them for a national viewer."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.is_national_viewer:
        return region_list_active()
    return region_list_active().filter(memberships__user=user).distinct()


def region_summary(*, region: Region) -> dict:
    """Head counts for the region home, in one query per table."""
    employees = Employee.objects.filter(region=region).aggregate(
        active=Count("id", filter=Q(is_active=True)),
        pns=Count("id", filter=Q(is_active=True, employment_type=Employee.EmploymentType.PNS)),
        pppk=Count("id", filter=Q(is_active=True, employment_type=Employee.EmploymentType.PPPK)),
    )
    units = Unit.objects.filter(region=region, is_active=True).count()
    admins = Membership.objects.filter(region=region, role=Membership.Role.ADMIN).count()
    return {**employees, "units": units, "admins": admins}


def employee_subordinates(*, employee: Employee) -> QuerySet[Employee]:
    return (
        Employee.objects.filter(region=employee.region, supervisor=employee, is_active=True)
        .select_related("unit")
        .order_by("name")
    )


def employee_profile(*, region: Region, employee_id: int) -> Employee:
    return Employee.objects.select_related("unit", "unit__parent", "supervisor", "user").get(
        region=region, pk=employee_id
    )


def unit_list(*, region: Region, search: str = "", active: bool | None = True) -> QuerySet[Unit]:
    """Units with their parent and active head count; `active=None` lists every unit."""
    qs = Unit.objects.filter(region=region).select_related("parent")
    if active is not None:
        qs = qs.filter(is_active=active)
    search = search.strip()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return qs.annotate(
        employee_count=Count("employees", filter=Q(employees__is_active=True))
    ).order_by("name", "id")


def unit_choices(*, region: Region, exclude: Unit | None = None) -> QuerySet[Unit]:
    """Active units for a dropdown (unit of an employee, parent of a unit)."""
    qs = Unit.objects.filter(region=region, is_active=True).order_by("name", "id")
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def employee_list(
    *,
    region: Region,
    search: str = "",
    unit_id: int | None = None,
    employment_type: str = "",
    include_inactive: bool = False,
) -> QuerySet[Employee]:
    qs = Employee.objects.filter(region=region).select_related("unit", "supervisor")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    search = search.strip()
    if search:
        condition = Q(name__icontains=search) | Q(position__icontains=search)
        nip_prefix = normalise_nip(search)
        if nip_prefix.isdigit():
            condition |= Q(nip__startswith=nip_prefix)
        qs = qs.filter(condition)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if employment_type:
        qs = qs.filter(employment_type=employment_type)
    return qs.order_by("name", "id")


def employee_nips_registered(*, nips: Iterable[str]) -> set[str]:
    """Which of these NIPs already belong to an employee of any region (NIPs are national)."""
    nips = sorted(set(nips))
    found = set()
    with scopes_disabled():
        for start in range(0, len(nips), 500):
            chunk = nips[start : start + 500]
            found.update(Employee.objects.filter(nip__in=chunk).values_list("nip", flat=True))
    return found


def employee_supervisor_choices(
    *, region: Region, exclude: Employee | None = None
) -> QuerySet[Employee]:
    """Active employees who can be chosen as someone's direct supervisor."""
    qs = Employee.objects.filter(region=region, is_active=True).order_by("name", "id")
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def employee_email(employee: Employee) -> str:
    """The address to mail an employee at: their own, else their login's."""
    if employee.email:
        return employee.email
    user = employee.user if employee.user_id else None
    return (user.email or "") if user else ""


def active_regions(regions=None) -> list[Region]:
    """The active regions in id order (all, or those of `regions`: regions or ids), as periodic
    jobs walk them."""
    qs = Region.objects.filter(is_active=True).order_by("pk")
    if regions is not None:
        qs = qs.filter(pk__in=[getattr(r, "pk", r) for r in regions])
    return list(qs)


def region_admins(region: Region):
    """Active employees of the region whose login is one of its BKPSDM admins."""
    return (
        Employee.objects.filter(
            region=region,
            is_active=True,
            user__memberships__region=region,
            user__memberships__role=Membership.Role.ADMIN,
        )
        .select_related("user")
        .order_by("pk")
        .distinct()
    )


# --- List filters (the REST API's employees and units) ----------------------------------------


def employee_filter(
    queryset: QuerySet[Employee],
    *,
    unit: IdOrCode | None = None,
    employment_type: str | None = None,
    active: bool | None = None,
    nip: str | None = None,
) -> QuerySet[Employee]:
    """Employees narrowed by unit (id or code), employment type, active flag and NIP; an
    argument left empty does not filter."""
    if unit:
        queryset = queryset.filter(id_or_code_q("unit", unit))
    if employment_type:
        queryset = queryset.filter(employment_type=employment_type)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    if nip:
        queryset = queryset.filter(nip=normalise_nip(nip))
    return queryset


def unit_filter(queryset: QuerySet[Unit], *, active: bool | None = None) -> QuerySet[Unit]:
    """Units narrowed by their active flag (None: every unit)."""
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset


# --- Audit trail ------------------------------------------------------------------------------


def audit_event_list(
    *,
    region,
    action: str = "",
    object_type: str = "",
    actor_id: int | None = None,
    search: str = "",
    since=None,
    until=None,
    object_id: str = "",
):
    """The region's audit events, newest first, filtered (indexes: region+at, region+action,
    region+object, region+actor)."""
    from .models import AuditEvent

    events = AuditEvent.objects.filter(region=region)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    if search:
        events = events.filter(Q(object_label__icontains=search) | Q(actor_label__icontains=search))
    return events.order_by("-at", "-id")


def audit_events_of_actor(*, user):
    """A user's own actions in every region and outside any (national staff read these)."""
    from .models import AuditEvent

    with scopes_disabled():
        return AuditEvent.objects.filter(actor_id=user.pk).order_by("-at", "-id")


def personal_data_exports(*, employee):
    from .models import PersonalDataExport

    return PersonalDataExport.objects.filter(employee=employee).order_by("-created_at")[:5]


def user_emails_taken(*, emails: Iterable[str]) -> set[str]:
    """Which of these (lower-case) e-mail addresses a login already uses, in one query per 500."""
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    emails = sorted({email.lower() for email in emails if email})
    taken = set()
    users = get_user_model().objects.annotate(email_lower=Lower("email"))
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        taken.update(users.filter(email_lower__in=chunk).values_list("email_lower", flat=True))
    return taken

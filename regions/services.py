"""Writes and business rules for regions, units, employees and memberships.

Every function is keyword-only, validates before it writes, raises ValidationError with a
message in the user's language, and is atomic.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from kompetensi import site

from . import nip as nip_rules
from .models import Employee, FunctionalLevel, Membership, PositionType, Region, Unit

User = get_user_model()

EMPLOYEE_FIELDS = (
    "name",
    "email",
    "phone",
    "employment_type",
    "golongan",
    "pppk_grade",
    "position",
    "position_type",
    "functional_level",
    "unit",
    "supervisor",
)


# --- Units -----------------------------------------------------------------------------------


def _check_unit_parent(*, region: Region, unit: Unit | None, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.region_id != region.id:
        raise ValidationError({"parent": _("Unit induk harus berada di wilayah yang sama.")})
    if not parent.is_active and (unit is None or unit.parent_id != parent.pk):
        raise ValidationError(
            {"parent": _("Unit induk %(name)s tidak aktif.") % {"name": parent.name}}
        )
    node, seen = parent, set()
    while node is not None:
        if unit is not None and node.pk == unit.pk:
            raise ValidationError(
                {"parent": _("Unit induk tidak boleh unit ini sendiri atau salah satu bawahannya.")}
            )
        if node.pk in seen:
            break
        seen.add(node.pk)
        node = node.parent


def _check_unit_code(*, region: Region, code: str, exclude_pk=None) -> None:
    qs = Unit.objects.filter(region=region, code__iexact=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"code": _("Kode unit %(code)s sudah dipakai.") % {"code": code}})


@transaction.atomic
def unit_create(
    *, region: Region, code: str, name: str, kind: str = Unit.Kind.DINAS, parent: Unit | None = None
) -> Unit:
    _check_unit_parent(region=region, unit=None, parent=parent)
    _check_unit_code(region=region, code=code)
    unit = Unit(region=region, code=code, name=name, kind=kind, parent=parent)
    unit.full_clean(exclude=["region", "parent"], validate_unique=False)
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, **fields) -> Unit:
    if "parent" in fields:
        _check_unit_parent(region=unit.region, unit=unit, parent=fields["parent"])
    if "code" in fields:
        _check_unit_code(region=unit.region, code=fields["code"], exclude_pk=unit.pk)
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.full_clean(exclude=["region", "parent"], validate_unique=False)
    unit.save()
    return unit


@transaction.atomic
def unit_set_active(*, unit: Unit, active: bool) -> Unit:
    if not active and Employee.objects.filter(unit=unit, is_active=True).exists():
        raise ValidationError(
            _("Unit %(name)s masih memiliki pegawai aktif; pindahkan mereka terlebih dahulu.")
            % {"name": unit.name}
        )
    if not active and Unit.objects.filter(parent=unit, is_active=True).exists():
        raise ValidationError(
            _("Unit %(name)s masih memiliki sub-unit aktif.") % {"name": unit.name}
        )
    if active and unit.parent_id and not unit.parent.is_active:
        raise ValidationError(
            _("Unit induk %(name)s tidak aktif; aktifkan unit induk terlebih dahulu.")
            % {"name": unit.parent.name}
        )
    unit.is_active = active
    unit.save(update_fields=["is_active", "updated_at"])
    return unit


# --- Employees -------------------------------------------------------------------------------


def validate_nip(*, nip: str, employment_type: str, exclude_pk=None) -> nip_rules.NipInfo:
    """Format, embedded dates and gender digit, and national uniqueness (across regions)."""
    try:
        info = nip_rules.parse_nip(nip, employment_type)
    except ValidationError as exc:
        raise ValidationError({"nip": exc.messages}) from None
    with scopes_disabled():
        clash = Employee.objects.filter(nip=nip)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            raise ValidationError(
                {"nip": _("NIP %(nip)s sudah terdaftar sebagai pegawai.") % {"nip": nip}}
            )
    return info


def _check_supervisor(*, region: Region, employee: Employee | None, supervisor) -> None:
    if supervisor is None:
        return
    if supervisor.region_id != region.id:
        raise ValidationError(
            {"supervisor": _("Atasan langsung harus pegawai di wilayah yang sama.")}
        )
    if not supervisor.is_active:
        raise ValidationError({"supervisor": _("Atasan langsung harus pegawai yang aktif.")})
    if employee is None or employee.pk is None:
        return
    node, seen = supervisor, set()
    while node is not None:
        if node.pk == employee.pk:
            raise ValidationError(
                {
                    "supervisor": _(
                        "Pegawai tidak boleh menjadi atasan dirinya sendiri, langsung atau "
                        "melalui rantai atasan."
                    )
                }
            )
        if node.pk in seen:
            break
        seen.add(node.pk)
        node = node.supervisor


def employee_values_errors(*, nip: str, data: dict) -> dict[str, list[str]]:
    """Every fault of one employee's values that needs no database lookup — the NIP's
    structure, e-mail format, grade and position — at once, by field (for the import, which
    reports every error of every row in one pass). `data` holds `employee_create`'s fields;
    missing or unparsed ones (None) are skipped, their own parse error is reported elsewhere."""
    from django.core.validators import validate_email

    errors: dict[str, list[str]] = {}
    employment_type = data.get("employment_type")
    if nip:
        try:
            nip_rules.parse_nip(nip, employment_type or Employee.EmploymentType.PNS)
        except ValidationError as exc:
            errors["nip"] = exc.messages
    if data.get("email"):
        try:
            validate_email(data["email"])
        except ValidationError as exc:
            errors["email"] = exc.messages
    if employment_type and data.get("position_type"):
        try:
            _check_grade_and_position(dict(data))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    return errors


def _check_grade_and_position(data: dict) -> None:
    errors = {}
    if data["employment_type"] == Employee.EmploymentType.PNS:
        if not data.get("golongan"):
            errors["golongan"] = _("PNS wajib memiliki pangkat/golongan ruang.")
        if data.get("pppk_grade"):
            errors["pppk_grade"] = _("PNS tidak memiliki golongan PPPK; kosongkan isian ini.")
        data["pppk_grade"] = None
    else:
        if data.get("golongan"):
            errors["golongan"] = _("PPPK tidak memiliki golongan ruang PNS; kosongkan isian ini.")
        data["golongan"] = None
    position_type = data.get("position_type")
    level = data.get("functional_level") or ""
    if position_type == PositionType.FUNGSIONAL_KEAHLIAN:
        if level not in {lv.value for lv in FunctionalLevel} or not level.startswith("ahli"):
            errors["functional_level"] = _("Pilih jenjang fungsional keahlian (Ahli ...).")
    elif position_type == PositionType.FUNGSIONAL_KETERAMPILAN:
        if level not in {"pemula", "terampil", "mahir", "penyelia"}:
            errors["functional_level"] = _("Pilih jenjang fungsional keterampilan.")
    else:
        data["functional_level"] = ""
    if errors:
        raise ValidationError(errors)


def _check_unit(*, region: Region, unit: Unit | None, current_unit_id=None) -> None:
    if unit is None or unit.region_id != region.id:
        raise ValidationError({"unit": _("Unit kerja harus unit di wilayah ini.")})
    if not unit.is_active and unit.pk != current_unit_id:
        raise ValidationError({"unit": _("Unit kerja %(name)s tidak aktif.") % {"name": unit.name}})


def _login_reaches_beyond(user, region: Region) -> bool:
    """Whether a login has access outside `region` (another region, national or staff)."""
    if user.is_superuser or user.is_staff or getattr(user, "is_national_viewer", False):
        return True
    return Membership.objects.filter(user=user).exclude(region=region).exists()


def _ensure_login(*, employee: Employee) -> None:
    """Create or refresh the login of an employee: username = NIP, email if given."""
    email = (employee.email or "").strip().lower() or None
    if email:
        clash = User.objects.filter(email__iexact=email)
        if employee.user_id:
            clash = clash.exclude(pk=employee.user_id)
        if clash.exists():
            raise ValidationError(
                {"email": _("Email %(email)s sudah dipakai akun lain.") % {"email": email}}
            )
    username_clash = User.objects.filter(username__iexact=employee.nip)
    if employee.user_id:
        username_clash = username_clash.exclude(pk=employee.user_id)
    if username_clash.exists():
        raise ValidationError(
            {
                "nip": _("NIP %(nip)s sudah dipakai sebagai nama pengguna akun lain.")
                % {"nip": employee.nip}
            }
        )
    if employee.user_id is None:
        user = User(username=employee.nip, email=email, first_name=employee.name[:150])
        user.set_unusable_password()
        user.save()
        employee.user = user
        employee.save(update_fields=["user"])
    else:
        user = employee.user
        beyond = _login_reaches_beyond(user, employee.region)
        if beyond and (user.email or None) != email:
            # A new email plus an invitation (password reset) would hand the account over.
            raise ValidationError(
                {
                    "email": _(
                        "Akun pegawai ini juga dipakai di luar wilayah ini; emailnya hanya "
                        "dapat diubah oleh pengelola sistem."
                    )
                }
            )
        user.username, user.email, user.first_name = employee.nip, email, employee.name[:150]
        if beyond:
            # Used elsewhere too: the login stays on; this region's access follows the employee
            # through the membership (see employee_set_active).
            user.save(update_fields=["username", "email", "first_name"])
            if not employee.is_active:
                return
        else:
            user.is_active = employee.is_active
            user.save(update_fields=["username", "email", "first_name", "is_active"])
    Membership.objects.get_or_create(
        user=employee.user, region=employee.region, defaults={"role": Membership.Role.MEMBER}
    )


@transaction.atomic
def employee_create(*, region: Region, nip: str, **fields) -> Employee:
    nip = nip_rules.normalise_nip(nip)
    data = {key: fields.get(key) for key in EMPLOYEE_FIELDS}
    data["employment_type"] = data["employment_type"] or Employee.EmploymentType.PNS
    info = validate_nip(nip=nip, employment_type=data["employment_type"])
    _check_grade_and_position(data)
    _check_unit(region=region, unit=data["unit"])
    _check_supervisor(region=region, employee=None, supervisor=data["supervisor"])
    employee = Employee(
        region=region,
        nip=nip,
        gender=info.gender,
        birth_date=info.birth_date,
        **{
            k: ("" if v is None and k in {"email", "phone", "functional_level"} else v)
            for k, v in data.items()
        },
    )
    employee.full_clean(exclude=["region", "unit", "supervisor", "user"], validate_unique=False)
    employee.save()
    _ensure_login(employee=employee)
    return employee


@transaction.atomic
def employee_update(*, employee: Employee, **fields) -> Employee:
    region = employee.region
    data = {key: fields.get(key, getattr(employee, key)) for key in EMPLOYEE_FIELDS}
    nip = nip_rules.normalise_nip(fields.get("nip", employee.nip))
    info = validate_nip(nip=nip, employment_type=data["employment_type"], exclude_pk=employee.pk)
    _check_grade_and_position(data)
    _check_unit(region=region, unit=data["unit"], current_unit_id=employee.unit_id)
    _check_supervisor(region=region, employee=employee, supervisor=data["supervisor"])
    for key, value in data.items():
        setattr(employee, key, "" if value is None and key in {"email", "phone"} else value)
    employee.nip, employee.gender, employee.birth_date = nip, info.gender, info.birth_date
    employee.full_clean(exclude=["region", "unit", "supervisor", "user"], validate_unique=False)
    employee.save()
    _ensure_login(employee=employee)
    return employee


@transaction.atomic
def employee_set_active(*, employee: Employee, active: bool) -> Employee:
    """Deactivate (or reactivate) an employee; subordinates lose them as supervisor."""
    if active and not employee.unit.is_active:
        raise ValidationError(
            _(
                "Unit kerja %(name)s tidak aktif; aktifkan unit itu atau pindahkan pegawai "
                "terlebih dahulu."
            )
            % {"name": employee.unit.name}
        )
    employee.is_active = active
    employee.save(update_fields=["is_active", "updated_at"])
    if not active:
        Employee.objects.filter(region=employee.region, supervisor=employee).update(supervisor=None)
    if employee.user_id:
        user = employee.user
        if _login_reaches_beyond(user, employee.region):
            # The login is used elsewhere too: only this region's access ends (or comes back,
            # as an ordinary member), so one region's admin cannot lock it out everywhere.
            if active:
                Membership.objects.get_or_create(
                    user=user, region=employee.region, defaults={"role": Membership.Role.MEMBER}
                )
            else:
                Membership.objects.filter(user=user, region=employee.region).delete()
        else:
            User.objects.filter(pk=employee.user_id).update(is_active=active)
    return employee


@transaction.atomic
def employee_set_supervisor(*, employee: Employee, supervisor: Employee | None) -> Employee:
    """Record the direct supervisor: same region, active, and no supervision loop."""
    _check_supervisor(region=employee.region, employee=employee, supervisor=supervisor)
    employee.supervisor = supervisor
    employee.save(update_fields=["supervisor", "updated_at"])
    return employee


@transaction.atomic
def membership_set_role(*, region: Region, user, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, region=region, defaults={"role": role}
    )
    return membership


@dataclass(frozen=True)
class InviteResult:
    employee: Employee
    sent: bool


def employee_invite(*, employee: Employee, request=None) -> InviteResult:
    """Send the employee a link to set their password (allauth's reset flow)."""
    from allauth.account.forms import ResetPasswordForm

    if not employee.is_active:
        raise ValidationError(
            _("Pegawai %(name)s tidak aktif; undangan tidak dapat dikirim.")
            % {"name": employee.name}
        )
    if not employee.email:
        raise ValidationError(
            _("Pegawai %(name)s belum memiliki email; undangan tidak dapat dikirim.")
            % {"name": employee.name}
        )
    form = ResetPasswordForm(data={"email": employee.email})
    if not form.is_valid():
        raise ValidationError(form.errors.get("email") or _("Email tidak valid."))
    form.save(request)
    return InviteResult(employee=employee, sent=True)


def _background_request():
    """A request for allauth's mail flows outside a request (links use the portal's URL)."""
    from urllib.parse import urlsplit

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.base import SessionBase
    from django.http import HttpRequest

    base = urlsplit(site.base_url())
    request = HttpRequest()
    request.method = "POST"
    request.META["SERVER_NAME"] = base.hostname or "127.0.0.1"
    request.META["SERVER_PORT"] = str(base.port or (443 if base.scheme == "https" else 80))
    request.META["HTTP_HOST"] = base.netloc
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    if base.scheme == "https":
        request.META["wsgi.url_scheme"] = "https"
        request.META["HTTPS"] = "on"
    request.user = AnonymousUser()
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def password_reset_send(*, email: str) -> None:
    """Send the password-reset e-mail for `email` (a background task calls this: the request
    that asked for it did no work that depends on whether the address has an account)."""
    from allauth.account.forms import ResetPasswordForm
    from allauth.core.context import request_context

    request = _background_request()
    with request_context(request):
        form = ResetPasswordForm(data={"email": email})
        if form.is_valid():
            form.save(request)

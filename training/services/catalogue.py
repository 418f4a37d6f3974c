"""Writes and rules of the catalogue's offerings (batches), their unit quotas and sessions.

Programmes are in `training.services.programmes`.

Every function is keyword-only, atomic, validates everything before it writes and raises
`ValidationError` with an Indonesian message (a dict keyed by field where a field is to blame),
so a refused change writes nothing. Status changes are guarded here and written to history;
participants are told about cancellations and schedule changes through `notify()`.

Seats: the pools, the invariant and the lock are the seat engine's (`training.seats`).
Changes that depend on the counts (fewer seats, a smaller or removed unit quota, cancelling)
take the engine's offering lock first, the same lock the enrolment services take, so the count
cannot move underneath; more seats promote waitlisted participants through the enrolment
services.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regions.models import Region, Unit
from regions.notifications import notify
from training.models import (
    Enrolment,
    Offering,
    OfferingUnitQuota,
    Program,
    Session,
    Speaker,
)
from training.notifications import Kind
from training.seats import general_seats_taken, lock_offering, unit_seats_taken
from training.services.courses import course_copy_to_offering
from training.services.history import history_record
from training.services.jp_rules import jp_claim_check
from training.services.validation import FieldErrors, full_clean_fields

# Offering fields whose change participants must hear about.
OFFERING_NOTIFY_FIELDS = ("start_date", "end_date", "venue", "online_link")
SESSION_NOTIFY_FIELDS = ("starts_at", "ends_at", "location", "online_link")
MAX_RECURRING_SESSIONS = 100

OFFERING_FIELDS = (
    "name",
    "start_date",
    "end_date",
    "enrolment_opens",
    "enrolment_closes",
    "seats",
    "requires_approval",
    "has_waitlist",
    "venue",
    "online_link",
    "cost_per_participant",
    "is_international",
    "min_attendance_percent",
    "cancel_cutoff_days",
    "post_test_pass_mark",
)
SESSION_FIELDS = ("title", "starts_at", "ends_at", "location", "online_link", "speaker")


# --- Helpers -----------------------------------------------------------------------------------


def _day(value: dt.date) -> str:
    return date_format(value, "j M Y")


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value, timezone.get_default_timezone()).date()


def _fill_from_waitlist(offering: Offering, actor) -> None:
    """Seats were added: promote waitlisted participants (the enrolment area's rule)."""
    from training.services.enrolment import offering_fill_from_waitlist

    offering_fill_from_waitlist(offering=offering, actor=actor)


def _live_participants(offering: Offering):
    return Enrolment.objects.filter(
        offering=offering, status__in=Enrolment.ONGOING_STATUSES
    ).select_related("employee")


def _notify_participants(
    *, offering: Offering, kind: str, subject, context: dict, key: str
) -> None:
    """Tell every live participant of the offering; `key` makes each message idempotent."""
    for enrolment in _live_participants(offering).iterator(chunk_size=500):
        notify(
            recipient=enrolment.employee,
            kind=kind,
            subject=subject,
            context=context,
            dedup_key=f"{key}:employee:{enrolment.employee_id}",
        )


def _offering_context(offering: Offering, **extra) -> dict:
    return {
        "program": offering.program.title,
        "offering": offering.name,
        "start_date": offering.start_date.isoformat(),
        "end_date": offering.end_date.isoformat(),
        "venue": offering.venue,
        "online_link": offering.online_link,
        **extra,
    }


def _session_context(session: Session, **extra) -> dict:
    return {
        "program": session.offering.program.title,
        "offering": session.offering.name,
        "session": session.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "location": session.location,
        "online_link": session.online_link,
        **extra,
    }


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan pembatalan wajib diisi.")})
    return reason


def _guard_offering_writable(offering: Offering) -> None:
    if offering.is_closed:
        raise ValidationError(
            _("Angkatan yang sudah selesai atau dibatalkan tidak dapat diubah lagi.")
        )


# --- Offerings ---------------------------------------------------------------------------------


def _check_offering(
    *,
    region: Region,
    data: dict,
    speakers: Iterable[Speaker] | None,
    offering: Offering | None = None,
) -> None:
    errors = FieldErrors()
    if not (data.get("name") or "").strip():
        errors.add("name", _("Nama angkatan wajib diisi."))
    start, end = data.get("start_date"), data.get("end_date")
    opens, closes = data.get("enrolment_opens"), data.get("enrolment_closes")
    for field, value in (
        ("start_date", start),
        ("end_date", end),
        ("enrolment_opens", opens),
        ("enrolment_closes", closes),
    ):
        if value is None:
            errors.add(field, _("Tanggal ini wajib diisi."))
    if start and end and end < start:
        errors.add("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    if opens and start and opens > start:
        errors.add(
            "enrolment_opens",
            _("Pendaftaran harus dibuka paling lambat pada tanggal mulai angkatan."),
        )
    if opens and closes and closes < opens:
        errors.add(
            "enrolment_closes", _("Tanggal tutup pendaftaran tidak boleh sebelum tanggal buka.")
        )
    if closes and end and closes > end:
        errors.add(
            "enrolment_closes",
            _("Pendaftaran harus ditutup paling lambat pada tanggal selesai angkatan."),
        )
    seats = data.get("seats")
    if seats is None or seats < 1:
        errors.add("seats", _("Kuota peserta paling sedikit 1."))
    elif offering is not None and offering.pk:
        taken = general_seats_taken(offering=offering)
        if seats < taken:
            errors.add(
                "seats",
                _(
                    "Kuota peserta tidak boleh kurang dari %(taken)d peserta yang sudah "
                    "terkonfirmasi."
                )
                % {"taken": taken},
            )
    cost = data.get("cost_per_participant")
    if cost is not None and cost < 0:
        errors.add("cost_per_participant", _("Biaya per peserta tidak boleh negatif."))
    attendance = data.get("min_attendance_percent")
    if attendance is not None and not 0 <= attendance <= 100:
        errors.add("min_attendance_percent", _("Kehadiran minimal harus antara 0 dan 100%."))
    for speaker in speakers or ():
        if speaker.region_id != region.id:
            errors.add("speakers", _("Narasumber harus terdaftar di wilayah ini."))
            break
    if offering is not None and offering.pk and start and end and start <= end:
        outside = [
            session
            for session in Session.objects.filter(
                offering=offering, status=Session.Status.SCHEDULED
            )
            if _local_date(session.starts_at) < start or _local_date(session.ends_at) > end
        ]
        if outside:
            errors.add(
                "start_date",
                _(
                    "Ada %(count)d sesi terjadwal di luar tanggal baru (misalnya %(title)s). "
                    "Ubah atau batalkan sesi tersebut terlebih dahulu."
                )
                % {"count": len(outside), "title": outside[0].title},
            )
    errors.raise_if_any()


def _offering_data(data: dict) -> dict:
    data["name"] = (data.get("name") or "").strip()
    data["venue"] = (data.get("venue") or "").strip()
    data["online_link"] = (data.get("online_link") or "").strip()
    if data.get("cost_per_participant") is None:
        data["cost_per_participant"] = Decimal(0)
    return data


@transaction.atomic
def offering_create(
    *,
    program: Program,
    actor=None,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    enrolment_opens: dt.date,
    enrolment_closes: dt.date,
    seats: int,
    requires_approval: bool = True,
    has_waitlist: bool = True,
    venue: str = "",
    online_link: str = "",
    cost_per_participant: Decimal = Decimal(0),
    speakers: Iterable[Speaker] = (),
    is_international: bool = False,
    min_attendance_percent: int = 80,
    cancel_cutoff_days: int = 1,
    post_test_pass_mark: int | None = None,
) -> Offering:
    """A new batch of a programme, in status planned, with a copy of the programme's course."""
    if program.status == Program.Status.ARCHIVED:
        raise ValidationError(_("Program yang diarsipkan tidak dapat ditambah angkatan baru."))
    data = _offering_data(
        {
            "name": name,
            "start_date": start_date,
            "end_date": end_date,
            "enrolment_opens": enrolment_opens,
            "enrolment_closes": enrolment_closes,
            "seats": seats,
            "requires_approval": requires_approval,
            "has_waitlist": has_waitlist,
            "venue": venue,
            "online_link": online_link,
            "cost_per_participant": cost_per_participant,
            "is_international": is_international,
            "min_attendance_percent": min_attendance_percent,
            "cancel_cutoff_days": cancel_cutoff_days,
            "post_test_pass_mark": post_test_pass_mark,
        }
    )
    speakers = list(speakers)
    _check_offering(region=program.region, data=data, speakers=speakers)
    _check_offering_jp(program=program, data=data)
    offering = Offering(
        region=program.region, program=program, status=Offering.Status.PLANNED, **data
    )
    full_clean_fields(offering, exclude=["region", "program"])
    offering.save()
    offering.speakers.set(speakers)
    course_copy_to_offering(offering=offering)
    return offering


def _check_offering_jp(*, program: Program, data: dict) -> None:
    """The programme's JP may not exceed what its form allows over the batch's dates (an
    international batch: +20 %, except structural leadership training)."""
    start, end = data.get("start_date"), data.get("end_date")
    if not start or not end or end < start:
        return
    try:
        jp_claim_check(
            form=program.form,
            jp=program.jp,
            start_date=start,
            end_date=end,
            is_international=bool(data.get("is_international")),
        )
    except ValidationError as exc:
        message = exc.message_dict.get("jp", exc.messages)[0]
        raise ValidationError(
            {
                "end_date": _("JP program (%(jp)s) tidak sesuai tanggal angkatan: %(reason)s")
                % {"jp": program.jp, "reason": message}
            }
        ) from None


@transaction.atomic
def offering_update(*, offering: Offering, actor=None, **fields) -> Offering:
    """Change a batch; participants hear about new dates, venue or link."""
    unknown = set(fields) - set(OFFERING_FIELDS) - {"speakers"}
    if unknown:
        raise TypeError(f"offering_update() got unexpected fields: {sorted(unknown)}")
    offering = lock_offering(offering_id=offering.pk)
    _guard_offering_writable(offering)
    data = {name: getattr(offering, name) for name in OFFERING_FIELDS}
    data.update({k: v for k, v in fields.items() if k in OFFERING_FIELDS})
    data = _offering_data(data)
    speakers = list(fields["speakers"]) if "speakers" in fields else None
    _check_offering(region=offering.region, data=data, speakers=speakers, offering=offering)
    _check_offering_jp(program=offering.program, data=data)
    changed = [name for name in OFFERING_NOTIFY_FIELDS if getattr(offering, name) != data[name]]
    more_seats = data["seats"] > offering.seats
    for name, value in data.items():
        setattr(offering, name, value)
    full_clean_fields(offering, exclude=["region", "program"])
    offering.save()
    if speakers is not None:
        offering.speakers.set(speakers)
    if more_seats:
        _fill_from_waitlist(offering, actor)
    if changed:
        _notify_participants(
            offering=offering,
            kind=Kind.OFFERING_CHANGED,
            subject=offering,
            context=_offering_context(offering, changed=changed),
            key=f"offering:{offering.pk}:changed:{offering.updated_at.isoformat()}",
        )
    return offering


def _offering_transition(
    *, offering: Offering, actor, allowed_from: tuple[str, ...], to: str, action: str, message: str
) -> Offering:
    """Move a locked offering from one of `allowed_from` to `to`, with history."""
    if offering.status not in allowed_from:
        raise ValidationError(message % {"status": offering.get_status_display()})
    previous = offering.status
    offering.status = to
    offering.save(update_fields=["status", "updated_at"])
    history_record(subject=offering, action=action, actor=actor, from_status=previous, to_status=to)
    return offering


@transaction.atomic
def offering_open(*, offering: Offering, actor=None) -> Offering:
    """Planned → open: ASN may enrol within the enrolment window."""
    offering = lock_offering(offering_id=offering.pk)
    if offering.program.status != Program.Status.PUBLISHED:
        raise ValidationError(
            _("Angkatan hanya dapat dibuka bila programnya sudah terbit. Terbitkan program dulu.")
        )
    return _offering_transition(
        offering=offering,
        actor=actor,
        allowed_from=(Offering.Status.PLANNED,),
        to=Offering.Status.OPEN,
        action="opened",
        message=_("Hanya angkatan berstatus direncanakan yang dapat dibuka (status: %(status)s)."),
    )


@transaction.atomic
def offering_create_and_open(*, program: Program, actor=None, **fields) -> Offering:
    """Add a batch and open its enrolment in one step (all or nothing): the admin's
    "publish and open a batch" flow."""
    offering = offering_create(program=program, actor=actor, **fields)
    return offering_open(offering=offering, actor=actor)


@transaction.atomic
def offering_start(*, offering: Offering, actor=None) -> Offering:
    """Open → running: the batch has begun."""
    return _offering_transition(
        offering=lock_offering(offering_id=offering.pk),
        actor=actor,
        allowed_from=(Offering.Status.OPEN,),
        to=Offering.Status.RUNNING,
        action="started",
        message=_(
            "Hanya angkatan yang pendaftarannya dibuka yang dapat dimulai (status: %(status)s)."
        ),
    )


@transaction.atomic
def offering_cancel(*, offering: Offering, actor=None, reason: str) -> Offering:
    """Cancel a batch with a reason: its sessions and live enrolments are cancelled, and every
    live participant is told. Nothing is deleted."""
    reason = _require_reason(reason)
    offering = lock_offering(offering_id=offering.pk)
    if offering.is_closed:
        raise ValidationError(
            _("Angkatan berstatus %(status)s tidak dapat dibatalkan.")
            % {"status": offering.get_status_display()}
        )
    now = timezone.now()
    previous = offering.status
    offering.status = Offering.Status.CANCELLED
    offering.cancel_reason = reason
    offering.cancelled_at = now
    offering.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    history_record(
        subject=offering,
        action="cancelled",
        actor=actor,
        from_status=previous,
        to_status=offering.status,
        reason=reason,
    )
    context = _offering_context(offering, reason=reason)
    enrolments = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(offering=offering, status__in=Enrolment.ONGOING_STATUSES)
        .select_related("employee")
        .order_by("pk")
    )
    for enrolment in enrolments.iterator(chunk_size=500):
        from_status = enrolment.status
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.cancelled_at = now
        enrolment.save(update_fields=["status", "cancelled_at", "updated_at"])
        history_record(
            subject=enrolment,
            action="offering_cancelled",
            actor=actor,
            from_status=from_status,
            to_status=enrolment.status,
            reason=reason,
        )
        notify(
            recipient=enrolment.employee,
            kind=Kind.OFFERING_CANCELLED,
            subject=offering,
            context=context,
            dedup_key=f"offering:{offering.pk}:cancelled:employee:{enrolment.employee_id}",
        )
    # The batch's sessions go with it; calendar clients see a new sequence.
    for session in Session.objects.filter(offering=offering, status=Session.Status.SCHEDULED):
        session.status = Session.Status.CANCELLED
        session.cancel_reason = reason
        session.sequence += 1
        session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    return offering


@transaction.atomic
def offering_copy(
    *, offering: Offering, actor=None, start_date: dt.date, name: str = ""
) -> Offering:
    """A new planned batch from an old one: same programme, settings, speakers and unit
    quotas; dates, enrolment window and scheduled sessions shifted to the new start."""
    program = offering.program
    if program.status == Program.Status.ARCHIVED:
        raise ValidationError(_("Program yang diarsipkan tidak dapat ditambah angkatan baru."))
    if start_date is None:
        raise ValidationError({"start_date": _("Tanggal mulai angkatan baru wajib diisi.")})
    shift = start_date - offering.start_date
    scheduled = Session.objects.filter(offering=offering, status=Session.Status.SCHEDULED)
    try:
        shifted = {
            "start_date": offering.start_date + shift,
            "end_date": offering.end_date + shift,
            "enrolment_opens": offering.enrolment_opens + shift,
            "enrolment_closes": offering.enrolment_closes + shift,
        }
        sessions = [
            (session, session.starts_at + shift, session.ends_at + shift) for session in scheduled
        ]
    except OverflowError:
        raise ValidationError(
            {"start_date": _("Tanggal mulai angkatan baru di luar rentang tanggal yang didukung.")}
        ) from None
    data = {name_: getattr(offering, name_) for name_ in OFFERING_FIELDS}
    data.update(
        name=(name or "").strip() or _("%(name)s (salinan)") % {"name": offering.name},
        **shifted,
    )
    data = _offering_data(data)
    speakers = list(offering.speakers.all())
    _check_offering(region=offering.region, data=data, speakers=speakers)
    _check_offering_jp(program=program, data=data)
    copy = Offering(region=offering.region, program=program, status=Offering.Status.PLANNED, **data)
    full_clean_fields(copy, exclude=["region", "program"])
    copy.save()
    copy.speakers.set(speakers)
    OfferingUnitQuota.objects.bulk_create(
        OfferingUnitQuota(
            region=copy.region, offering=copy, unit_id=quota.unit_id, seats=quota.seats
        )
        for quota in OfferingUnitQuota.objects.filter(offering=offering)
    )
    Session.objects.bulk_create(
        Session(
            region=copy.region,
            offering=copy,
            title=session.title,
            starts_at=starts_at,
            ends_at=ends_at,
            location=session.location,
            online_link=session.online_link,
            speaker_id=session.speaker_id,
        )
        for session, starts_at, ends_at in sessions
    )
    course_copy_to_offering(offering=copy)
    return copy


# --- Unit quotas -------------------------------------------------------------------------------


@transaction.atomic
def offering_unit_quota_set(
    *, offering: Offering, unit: Unit, seats: int, actor=None
) -> OfferingUnitQuota:
    """Reserve seats for one unit (OPD) on top of the general seats, or change the number."""
    offering = lock_offering(offering_id=offering.pk)
    _guard_offering_writable(offering)
    errors = FieldErrors()
    if unit is None or unit.region_id != offering.region_id:
        errors.add("unit", _("Unit harus berada di wilayah ini."))
    if seats is None or seats < 1:
        errors.add("seats", _("Kursi khusus paling sedikit 1."))
    errors.raise_if_any()
    # The model's validators bound the number to what the database column holds.
    full_clean_fields(
        OfferingUnitQuota(region=offering.region, offering=offering, unit=unit, seats=seats),
        exclude=["region", "offering", "unit"],
    )
    used = unit_seats_taken(offering=offering, unit_id=unit.pk)
    if seats < used:
        raise ValidationError(
            {
                "seats": _(
                    "Kursi khusus %(unit)s tidak boleh kurang dari %(used)d kursi yang sudah "
                    "terpakai."
                )
                % {"unit": unit.name, "used": used}
            }
        )
    previous = (
        OfferingUnitQuota.objects.filter(offering=offering, unit=unit)
        .values_list("seats", flat=True)
        .first()
    )
    quota, _created = OfferingUnitQuota.objects.update_or_create(
        offering=offering, unit=unit, defaults={"seats": seats, "region": offering.region}
    )
    if seats > (previous or 0):
        _fill_from_waitlist(offering, actor)
    return quota


@transaction.atomic
def offering_unit_quota_remove(*, quota: OfferingUnitQuota, actor=None) -> None:
    """Drop a unit's reservation; refused while some of its seats are taken."""
    offering = lock_offering(offering_id=quota.offering_id)
    _guard_offering_writable(offering)
    used = unit_seats_taken(offering=offering, unit_id=quota.unit_id)
    if used:
        raise ValidationError(
            _("Kuota unit %(unit)s tidak dapat dihapus karena %(used)d kursinya sudah terpakai.")
            % {"unit": quota.unit.name, "used": used}
        )
    quota.delete()


# --- Sessions ----------------------------------------------------------------------------------


def _check_session(*, offering: Offering, data: dict) -> None:
    errors = FieldErrors()
    if not (data.get("title") or "").strip():
        errors.add("title", _("Judul sesi wajib diisi."))
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is None:
        errors.add("starts_at", _("Waktu mulai sesi wajib diisi."))
    if ends is None:
        errors.add("ends_at", _("Waktu selesai sesi wajib diisi."))
    if starts and ends:
        if ends <= starts:
            errors.add("ends_at", _("Waktu selesai sesi harus setelah waktu mulai."))
        elif _local_date(starts) < offering.start_date or _local_date(ends) > offering.end_date:
            errors.add(
                "starts_at",
                _("Sesi harus berada dalam tanggal angkatan (%(start)s – %(end)s).")
                % {"start": _day(offering.start_date), "end": _day(offering.end_date)},
            )
    speaker = data.get("speaker")
    if speaker is not None and speaker.region_id != offering.region_id:
        errors.add("speaker", _("Narasumber harus terdaftar di wilayah ini."))
    errors.raise_if_any()


def _session_data(data: dict) -> dict:
    data["title"] = (data.get("title") or "").strip()
    data["location"] = (data.get("location") or "").strip()
    data["online_link"] = (data.get("online_link") or "").strip()
    return data


@transaction.atomic
def session_create(
    *,
    offering: Offering,
    actor=None,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    online_link: str = "",
    speaker: Speaker | None = None,
) -> Session:
    """Add a meeting to a batch; its participants are told about the new date."""
    offering = lock_offering(offering_id=offering.pk)
    _guard_offering_writable(offering)
    data = _session_data(
        {
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "location": location,
            "online_link": online_link,
            "speaker": speaker,
        }
    )
    _check_session(offering=offering, data=data)
    session = Session(region=offering.region, offering=offering, **data)
    full_clean_fields(session, exclude=["region", "offering", "speaker"])
    session.save()
    _notify_participants(
        offering=offering,
        kind=Kind.SESSION_CHANGED,
        subject=session,
        context=_session_context(session, change="added"),
        key=f"session:{session.pk}:changed:{session.sequence}",
    )
    return session


@transaction.atomic
def session_update(*, session: Session, actor=None, **fields) -> Session:
    """Change a session; its sequence is bumped, and a new time or place is announced."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields: {sorted(unknown)}")
    offering = lock_offering(offering_id=session.offering_id)
    _guard_offering_writable(offering)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    session.offering = offering
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("Sesi yang dibatalkan tidak dapat diubah."))
    data = {name: getattr(session, name) for name in SESSION_FIELDS}
    data.update(fields)
    data = _session_data(data)
    _check_session(offering=offering, data=data)
    changed = [name for name in SESSION_NOTIFY_FIELDS if getattr(session, name) != data[name]]
    for name, value in data.items():
        setattr(session, name, value)
    session.sequence += 1
    full_clean_fields(session, exclude=["region", "offering", "speaker"])
    session.save()
    if changed:
        _notify_participants(
            offering=offering,
            kind=Kind.SESSION_CHANGED,
            subject=session,
            context=_session_context(session, changed=changed),
            key=f"session:{session.pk}:changed:{session.sequence}",
        )
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor=None, reason: str) -> Session:
    """Cancel one meeting with a reason (kept, never deleted) and tell the participants."""
    reason = _require_reason(reason)
    offering = lock_offering(offering_id=session.offering_id)
    _guard_offering_writable(offering)
    session = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    session.offering = offering
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("Sesi ini sudah dibatalkan."))
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.sequence += 1
    session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    history_record(
        subject=session,
        action="cancelled",
        actor=actor,
        from_status=Session.Status.SCHEDULED,
        to_status=session.status,
        reason=reason,
    )
    _notify_participants(
        offering=offering,
        kind=Kind.SESSION_CANCELLED,
        subject=session,
        context=_session_context(session, reason=reason),
        key=f"session:{session.pk}:cancelled",
    )
    return session


def recurring_dates(*, first_date: dt.date, weekdays: Iterable[int], weeks: int) -> list[dt.date]:
    """Dates of a weekly pattern: each chosen weekday (0 = Monday) of `weeks` consecutive
    weeks, starting with the week of `first_date` and never before it."""
    days = sorted({int(day) for day in weekdays})
    dates = []
    for week in range(weeks):
        for day in days:
            offset = (day - first_date.weekday()) % 7
            dates.append(first_date + dt.timedelta(days=offset + 7 * week))
    return sorted(dates)


@transaction.atomic
def session_create_recurring(
    *,
    offering: Offering,
    actor=None,
    title: str,
    first_date: dt.date,
    weekdays: Iterable[int],
    weeks: int,
    start_time: dt.time,
    end_time: dt.time,
    location: str = "",
    online_link: str = "",
    speaker: Speaker | None = None,
) -> list[Session]:
    """Generate the sessions of a weekly pattern (e.g. every Tuesday 09:00–12:00 for six
    weeks), in the region's time zone (Asia/Jakarta). All of them or none."""
    offering = lock_offering(offering_id=offering.pk)
    _guard_offering_writable(offering)
    errors = FieldErrors()
    title = (title or "").strip()
    weekdays = list(weekdays or [])
    if not title:
        errors.add("title", _("Judul sesi wajib diisi."))
    if not weekdays:
        errors.add("weekdays", _("Pilih paling sedikit satu hari."))
    if weeks is None or weeks < 1:
        errors.add("weeks", _("Jumlah minggu paling sedikit 1."))
    if first_date is None:
        errors.add("first_date", _("Tanggal mulai pola wajib diisi."))
    if start_time and end_time and end_time <= start_time:
        errors.add("end_time", _("Jam selesai harus setelah jam mulai."))
    if speaker is not None and speaker.region_id != offering.region_id:
        errors.add("speaker", _("Narasumber harus terdaftar di wilayah ini."))
    errors.raise_if_any()
    dates = recurring_dates(first_date=first_date, weekdays=weekdays, weeks=weeks)
    if len(dates) > MAX_RECURRING_SESSIONS:
        raise ValidationError(
            {
                "weeks": _("Pola ini menghasilkan %(count)d sesi; paling banyak %(max)d.")
                % {"count": len(dates), "max": MAX_RECURRING_SESSIONS}
            }
        )
    outside = [day for day in dates if not offering.start_date <= day <= offering.end_date]
    if outside:
        raise ValidationError(
            {
                "first_date": _(
                    "Pertemuan tanggal %(date)s berada di luar tanggal angkatan "
                    "(%(start)s – %(end)s). Sesuaikan pola atau tanggal angkatan."
                )
                % {
                    "date": _day(outside[0]),
                    "start": _day(offering.start_date),
                    "end": _day(offering.end_date),
                }
            }
        )
    zone = timezone.get_default_timezone()
    sessions = []
    for number, day in enumerate(dates, start=1):
        data = _session_data(
            {
                "title": _("%(title)s – pertemuan %(number)d") % {"title": title, "number": number},
                "starts_at": dt.datetime.combine(day, start_time, tzinfo=zone),
                "ends_at": dt.datetime.combine(day, end_time, tzinfo=zone),
                "location": location,
                "online_link": online_link,
                "speaker": speaker,
            }
        )
        _check_session(offering=offering, data=data)
        session = Session(region=offering.region, offering=offering, **data)
        full_clean_fields(session, exclude=["region", "offering", "speaker"])
        sessions.append(session)
    sessions = Session.objects.bulk_create(sessions)
    first = sessions[0]
    _notify_participants(
        offering=offering,
        kind=Kind.OFFERING_CHANGED,
        subject=offering,
        context=_offering_context(
            offering, change="sessions_added", sessions=len(sessions), first=_day(dates[0])
        ),
        key=f"offering:{offering.pk}:sessions_added:{first.pk}",
    )
    return sessions

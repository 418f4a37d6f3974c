"""Writes for partners (training providers) and speakers (narasumber) of a region.

Partners are never deleted (programmes and offerings point at them); they are deactivated.
Every function is keyword-only, validates before it writes, raises ValidationError with a
message in the user's language and is atomic.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from regions.models import Region
from training.models import Provider, Speaker

PROVIDER_FIELDS = (
    "name",
    "kind",
    "contact_person",
    "email",
    "phone",
    "agreement_number",
    "notes",
)
SPEAKER_FIELDS = ("name", "provider", "expertise", "is_volunteer", "email", "phone")


def _clean_text(fields: dict) -> dict:
    return {
        key: (" ".join(value.split()) if key == "name" else value.strip())
        if isinstance(value, str)
        else value
        for key, value in fields.items()
    }


# --- Providers ---------------------------------------------------------------------------------


def _check_provider_name(*, region: Region, name: str, exclude_pk=None) -> None:
    if not name:
        raise ValidationError({"name": _("Nama mitra wajib diisi.")})
    qs = Provider.objects.filter(region=region, name__iexact=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError(
            {"name": _("Mitra dengan nama %(name)s sudah terdaftar.") % {"name": name}}
        )


def _save_provider(provider: Provider) -> Provider:
    provider.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("Mitra dengan nama %(name)s sudah terdaftar.") % {"name": provider.name}}
        ) from exc
    return provider


@transaction.atomic
def provider_create(*, region: Region, name: str, kind: str, **fields) -> Provider:
    data = _clean_text({"name": name, "kind": kind, **fields})
    unknown = set(data) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown provider fields: {sorted(unknown)}")
    _check_provider_name(region=region, name=data["name"])
    return _save_provider(Provider(region=region, **data))


@transaction.atomic
def provider_update(*, provider: Provider, **fields) -> Provider:
    data = _clean_text(fields)
    unknown = set(data) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown provider fields: {sorted(unknown)}")
    if "name" in data:
        _check_provider_name(region=provider.region, name=data["name"], exclude_pk=provider.pk)
    for key, value in data.items():
        setattr(provider, key, value)
    return _save_provider(provider)


@transaction.atomic
def provider_set_active(*, provider: Provider, active: bool) -> Provider:
    """Deactivate (or reactivate) a partner. Its programmes and speakers stay as they are."""
    if provider.is_active != active:
        provider.is_active = active
        provider.save(update_fields=["is_active", "updated_at"])
    return provider


# --- Speakers ----------------------------------------------------------------------------------


def _check_speaker_provider(
    *, region: Region, provider: Provider | None, current_id: int | None = None
) -> None:
    if provider is None:
        return
    if provider.region_id != region.pk:
        raise ValidationError({"provider": _("Mitra tidak ditemukan di wilayah ini.")})
    if not provider.is_active and provider.pk != current_id:
        raise ValidationError(
            {"provider": _("Mitra %(name)s tidak aktif.") % {"name": provider.name}}
        )


def _save_speaker(speaker: Speaker) -> Speaker:
    if not speaker.name:
        raise ValidationError({"name": _("Nama narasumber wajib diisi.")})
    speaker.full_clean(
        exclude=["region", "provider"], validate_unique=False, validate_constraints=False
    )
    speaker.save()
    return speaker


@transaction.atomic
def speaker_create(
    *, region: Region, name: str, provider: Provider | None = None, **fields
) -> Speaker:
    data = _clean_text({"name": name, "provider": provider, **fields})
    unknown = set(data) - set(SPEAKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown speaker fields: {sorted(unknown)}")
    _check_speaker_provider(region=region, provider=provider)
    return _save_speaker(Speaker(region=region, **data))


@transaction.atomic
def speaker_update(*, speaker: Speaker, **fields) -> Speaker:
    data = _clean_text(fields)
    unknown = set(data) - set(SPEAKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown speaker fields: {sorted(unknown)}")
    if "provider" in data:
        _check_speaker_provider(
            region=speaker.region, provider=data["provider"], current_id=speaker.provider_id
        )
    for key, value in data.items():
        setattr(speaker, key, value)
    return _save_speaker(speaker)


@transaction.atomic
def speaker_set_active(*, speaker: Speaker, active: bool) -> Speaker:
    if speaker.is_active != active:
        speaker.is_active = active
        speaker.save(update_fields=["is_active", "updated_at"])
    return speaker

"""Partner (training provider) and speaker pages of the BKPSDM admin.

Views stay thin: forms parse, selectors read, services write. Objects are looked up inside
the request's region first, so another region's id is a 404 whatever the method.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.views import (
    ACTIVE_STATUSES,
    active_status,
    id_param,
    paginate,
    query_without_page,
    safe_next_url,
    toggle_active,
)
from regions.permissions import region_admin_required
from training.forms.partners import ProviderForm, SpeakerForm
from training.models import Provider, Speaker
from training.panels import render_panels
from training.selectors import partners as selectors
from training.services import partners as services

VOLUNTEER_FILTERS = {"1": True, "0": False}


def _get_provider(request, pk) -> Provider:
    try:
        return selectors.provider_get(region=request.region, pk=pk)
    except Provider.DoesNotExist as exc:
        raise Http404(_("Mitra tidak ditemukan.")) from exc


def _get_speaker(request, pk) -> Speaker:
    try:
        return selectors.speaker_get(region=request.region, pk=pk)
    except Speaker.DoesNotExist as exc:
        raise Http404(_("Narasumber tidak ditemukan.")) from exc


# --- Providers ---------------------------------------------------------------------------------


@region_admin_required
def provider_list(request, region_slug):
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in Provider.Kind.values:
        kind = ""
    status = active_status(request)
    providers = selectors.provider_list(
        region=request.region, search=search, kind=kind, active=ACTIVE_STATUSES[status]
    )
    return render(
        request,
        "training/partners/provider_list.html",
        {
            "page": paginate(request, providers),
            "search": search,
            "kind": kind,
            "status": status,
            "kinds": Provider.Kind.choices,
            "summary": selectors.partner_summary(region=request.region),
            "query": query_without_page(request),
        },
    )


@region_admin_required
def provider_create(request, region_slug):
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(region=request.region, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Mitra %(name)s berhasil ditambahkan.") % {"name": provider}
            )
            return redirect("training:provider_detail", region_slug, provider.pk)
    return render(request, "training/partners/provider_form.html", {"form": form, "provider": None})


@region_admin_required
def provider_detail(request, region_slug, pk):
    provider = _get_provider(request, pk)
    programs = list(selectors.provider_programs(region=request.region, provider=provider))
    for program in programs:
        try:
            program.detail_url = reverse("training:program_detail", args=[region_slug, program.pk])
        except NoReverseMatch:
            program.detail_url = None
    return render(
        request,
        "training/partners/provider_detail.html",
        {
            "provider": provider,
            "programs": programs,
            "speakers": selectors.provider_speakers(region=request.region, provider=provider),
        },
    )


@region_admin_required
def provider_edit(request, region_slug, pk):
    provider = _get_provider(request, pk)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(provider=provider, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Data mitra %(name)s disimpan.") % {"name": provider})
            return redirect("training:provider_detail", region_slug, provider.pk)
    return render(
        request, "training/partners/provider_form.html", {"form": form, "provider": provider}
    )


@region_admin_required
def provider_toggle(request, region_slug, pk):
    provider = _get_provider(request, pk)
    default = reverse("training:provider_detail", args=[region_slug, provider.pk])
    return toggle_active(
        request,
        obj=provider,
        kind=_("mitra"),
        warning=_(
            "Mitra nonaktif tidak dapat dipilih untuk program atau narasumber baru. Program dan "
            "narasumber yang sudah ada tetap tersimpan."
        ),
        back_url=safe_next_url(request, default),
        set_active=lambda active: services.provider_set_active(provider=provider, active=active),
    )


# --- Speakers ----------------------------------------------------------------------------------


@region_admin_required
def speaker_list(request, region_slug):
    search = request.GET.get("q", "").strip()
    provider_id = request.GET.get("provider", "")
    provider_id = id_param(provider_id)
    volunteer = request.GET.get("volunteer", "")
    if volunteer not in VOLUNTEER_FILTERS:
        volunteer = ""
    status = active_status(request)
    speakers = selectors.speaker_list(
        region=request.region,
        search=search,
        provider_id=provider_id,
        volunteer=VOLUNTEER_FILTERS.get(volunteer),
        active=ACTIVE_STATUSES[status],
    )
    return render(
        request,
        "training/partners/speaker_list.html",
        {
            "page": paginate(request, speakers),
            "search": search,
            "provider_id": provider_id,
            "volunteer": volunteer,
            "status": status,
            "providers": selectors.provider_choices(region=request.region),
            "query": query_without_page(request),
            "panels": render_panels("speaker_list", request=request),
        },
    )


@region_admin_required
def speaker_create(request, region_slug):
    initial = {}
    provider_id = request.GET.get("provider", "")
    if id_param(provider_id) is not None:
        initial["provider"] = id_param(provider_id)
    form = SpeakerForm(request.POST or None, region=request.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            speaker = services.speaker_create(region=request.region, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Narasumber %(name)s berhasil ditambahkan.") % {"name": speaker}
            )
            return redirect("training:speaker_list", region_slug)
    return render(request, "training/partners/speaker_form.html", {"form": form, "speaker": None})


@region_admin_required
def speaker_edit(request, region_slug, pk):
    speaker = _get_speaker(request, pk)
    form = SpeakerForm(request.POST or None, region=request.region, instance=speaker)
    if request.method == "POST" and form.is_valid():
        try:
            services.speaker_update(speaker=speaker, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Data narasumber %(name)s disimpan.") % {"name": speaker})
            return redirect("training:speaker_list", region_slug)
    return render(
        request, "training/partners/speaker_form.html", {"form": form, "speaker": speaker}
    )


@region_admin_required
def speaker_toggle(request, region_slug, pk):
    speaker = _get_speaker(request, pk)
    default = reverse("training:speaker_list", args=[region_slug])
    return toggle_active(
        request,
        obj=speaker,
        kind=_("narasumber"),
        warning=_(
            "Narasumber nonaktif tidak dapat dipilih untuk angkatan atau sesi baru. Riwayatnya "
            "tetap tersimpan."
        ),
        back_url=safe_next_url(request, default),
        set_active=lambda active: services.speaker_set_active(speaker=speaker, active=active),
    )

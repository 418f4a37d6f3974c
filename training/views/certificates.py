"""Certificates: the ASN's download, the admin's batch page (issue with a progress bar),
one certificate (re-issue, revoke, history), the region's settings and template preview, and
the public verification page (no login, rate-limited)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_scopes import scopes_disabled

from kompetensi.forms import apply_validation_error
from kompetensi.ratelimit import client_ip, rate_limited
from regions.permissions import region_admin_required, region_employee_required
from training.certificate_gates import certificate_blocked
from training.forms.courses import CertificateSettingsForm, ReasonForm, VerifyForm
from training.models import Certificate, CertificateRun, Offering
from training.selectors.certificates import (
    certificate_by_code,
    certificate_history,
    certificates_of_employee,
    offering_certificates,
)
from training.services import certificates as services

VERIFY_LIMIT = 30  # lookups per client address per minute
VERIFY_WINDOW = 60


def _pdf_response(certificate: Certificate) -> FileResponse:
    if not certificate.file or certificate.rendered_at is None:
        raise Http404(_("Sertifikat sedang disiapkan; coba lagi sebentar lagi."))
    response = FileResponse(
        default_storage.open(certificate.file.name, "rb"),
        as_attachment=True,
        filename=f"sertifikat-{certificate.number.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- ASN ---------------------------------------------------------------------------------------


@region_employee_required
def my_certificates(request, region_slug):
    return render(
        request,
        "training/certificates/mine.html",
        {"certificates": certificates_of_employee(employee=request.access.employee)},
    )


@region_employee_required
def my_certificate_download(request, region_slug, certificate_id):
    certificate = get_object_or_404(
        Certificate,
        region=request.region,
        enrolment__employee=request.access.employee,
        pk=certificate_id,
    )
    if not certificate.is_valid:
        raise Http404(_("Sertifikat ini sudah dicabut."))
    blocked = certificate_blocked(certificate=certificate, request=request)
    if blocked is not None:
        message, url = blocked
        messages.warning(request, message)
        return redirect(url)
    return _pdf_response(certificate)


# --- Admin -------------------------------------------------------------------------------------


@region_admin_required
def offering_certificates_page(request, region_slug, offering_id):
    offering = get_object_or_404(
        Offering.objects.select_related("program"), region=request.region, pk=offering_id
    )
    if request.method == "POST":
        if (
            offering.status != Offering.Status.COMPLETED
            and not offering.enrolments.filter(status="completed").exists()
        ):
            messages.error(request, _("Belum ada peserta yang selesai di angkatan ini."))
        else:
            services.certificate_run_start(offering=offering, actor=request.user)
            messages.info(request, _("Penerbitan sertifikat diproses di latar belakang."))
        return redirect("training:offering_certificates", region_slug, offering.pk)
    data = offering_certificates(offering=offering)
    return render(request, "training/certificates/offering.html", {"offering": offering, **data})


@region_admin_required
def certificate_run_status(request, region_slug, run_id):
    run = get_object_or_404(CertificateRun, region=request.region, pk=run_id)
    return render(request, "training/certificates/_run.html", {"run": run})


def _certificate(request, certificate_id) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related(
            "enrolment",
            "enrolment__offering",
            "enrolment__offering__program",
            "enrolment__employee",
        ),
        region=request.region,
        pk=certificate_id,
    )


@region_admin_required
def certificate_detail(request, region_slug, certificate_id):
    certificate = _certificate(request, certificate_id)
    return render(
        request,
        "training/certificates/detail.html",
        {
            "certificate": certificate,
            "history": certificate_history(certificate=certificate),
            "reissue_form": ReasonForm(prefix="reissue"),
            "revoke_form": ReasonForm(prefix="revoke"),
            "verify_url": services.verification_url(certificate.code),
        },
    )


@region_admin_required
def certificate_download(request, region_slug, certificate_id):
    return _pdf_response(_certificate(request, certificate_id))


@region_admin_required
def certificate_reissue(request, region_slug, certificate_id):
    certificate = _certificate(request, certificate_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReasonForm(request.POST, prefix="reissue")
    if form.is_valid():
        try:
            services.certificate_reissue(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Sertifikat diterbitkan ulang dengan nomor yang sama (versi baru).")
            )
    else:
        messages.error(request, _("Alasan penerbitan ulang wajib diisi."))
    return redirect("training:certificate_detail", region_slug, certificate.pk)


@region_admin_required
def certificate_revoke(request, region_slug, certificate_id):
    certificate = _certificate(request, certificate_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReasonForm(request.POST, prefix="revoke")
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Sertifikat dicabut."))
    else:
        messages.error(request, _("Alasan pencabutan wajib diisi."))
    return redirect("training:certificate_detail", region_slug, certificate.pk)


@region_admin_required
def certificate_settings_page(request, region_slug):
    config = services.certificate_settings(region=request.region)
    initial = {
        "number_pattern": config.number_pattern,
        "signer_name": config.signer_name,
        "signer_title": config.signer_title,
        "signer_nip": config.signer_nip,
        "city": config.city,
    }
    form = CertificateSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_settings_update(region=request.region, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Pengaturan sertifikat disimpan."))
            return redirect("training:certificate_settings", region_slug)
    return render(request, "training/certificates/settings.html", {"form": form, "config": config})


@region_admin_required
def certificate_preview(request, region_slug):
    """The template with sample values, as PDF (inline) or, with ?html=1, as HTML."""
    config = services.certificate_settings(region=request.region)
    sample = services.certificate_sample(region=request.region)
    if request.GET.get("html"):
        return HttpResponse(
            services.certificate_html(certificate=sample, config=config, preview=True)
        )
    response = HttpResponse(
        services.certificate_pdf(certificate=sample, config=config), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="contoh-sertifikat.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public verification -----------------------------------------------------------------------


def _limited(request) -> bool:
    return rate_limited(f"verify:{client_ip(request)}", limit=VERIFY_LIMIT, window=VERIFY_WINDOW)


@never_cache
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        code = form.cleaned_data["code"].strip().upper().replace(" ", "").replace("-", "")
        return redirect("certificate_verify_code", code=code)
    return render(request, "training/certificates/verify_form.html", {"form": form})


@never_cache
def verify_code(request, code):
    if _limited(request):
        response = render(request, "training/certificates/verify_limited.html", status=429)
        response["Retry-After"] = str(VERIFY_WINDOW)
        return response
    with scopes_disabled():
        certificate = certificate_by_code(code=code)
    response = render(
        request,
        "training/certificates/verify.html",
        {"certificate": certificate, "code": code, "form": VerifyForm(initial={"code": code})},
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response

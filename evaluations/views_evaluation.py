"""Pages of the post-training evaluation (Kirkpatrick L1–L4).

- ASN: their surveys, filling and editing one (`survey_fill`); their self-assessments.
- Assessors (the recorded supervisor, a colleague, the participant themselves): the L3 list
  and form.
- Admins: the evaluation index (programmes with L1–L4 and the relevance flag), a batch's and a
  programme's report (charts, PDF, XLSX), the flagged programmes, pending L3 assessments
  (assign an assessor, invite colleagues), L4 indicators, questionnaires, speaker ratings and
  the region's settings.

Thin: services decide (`evaluations.services.surveys`, `.behaviour`), selectors read
(`evaluations.selectors.kirkpatrick`). Objects of another region are 404 (the region scope).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompetensi.forms import apply_validation_error
from kompetensi.views import id_param
from regions.models import Employee
from regions.permissions import region_admin_required, region_employee_required
from training.models import Offering, Program

from .forms_evaluation import (
    DelayForm,
    EvaluationSettingsForm,
    IndicatorForm,
    MeasurementForm,
    NipForm,
    SurveyItemForm,
    TemplateChoiceForm,
    TemplateCopyForm,
)
from .models import (
    L3_ITEMS,
    EvaluationSettings,
    L3Assessment,
    OutcomeIndicator,
    Survey,
    SurveyItem,
    SurveyResponse,
    SurveyTemplate,
)
from .selectors import kirkpatrick as sel
from .services import behaviour, surveys
from .services.evaluation_exports import report_pdf, report_xlsx

LIKERT = (1, 2, 3, 4, 5)


def _errors(exc: ValidationError) -> tuple[dict, list]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}, []
    return {}, exc.messages


# --- ASN: surveys ------------------------------------------------------------------------------


@region_employee_required
def my_surveys(request, region_slug):
    today = timezone.localdate()
    return render(
        request,
        "evaluations/evaluation/my_surveys.html",
        {
            "surveys": sel.my_surveys(employee=request.access.employee),
            "today": today,
            "assessments": sel.l3_for_assessor(employee=request.access.employee),
        },
    )


@region_employee_required
def survey_fill(request, region_slug, offering_id):
    offering = get_object_or_404(
        Offering.objects.select_related("program"), region=request.region, pk=offering_id
    )
    employee = request.access.employee
    survey = Survey.objects.filter(offering=offering, opened_at__isnull=False).first()
    is_participant = offering.enrolments.filter(sel.survey_eligible_q(), employee=employee)
    if survey is None or not is_participant.exists():
        raise Http404(_("Survei tidak ditemukan."))
    today = timezone.localdate()
    response = SurveyResponse.objects.filter(survey=survey, enrolment__employee=employee).first()
    values, errors, top_errors = sel.survey_answers_of(response=response), {}, []
    if request.method == "POST":
        try:
            surveys.survey_response_save(
                offering=offering, employee=employee, data=request.POST, today=today
            )
        except ValidationError as exc:
            errors, top_errors = _errors(exc)
            values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        else:
            messages.success(
                request,
                _(
                    "Terima kasih, jawaban survei Anda tersimpan. Anda dapat mengubahnya sampai %(d)s."
                )
                % {"d": survey.closes_on.strftime("%d-%m-%Y")},
            )
            return redirect("evaluations:my_surveys", region_slug=region_slug)
    questions = sel.survey_questions(survey=survey, offering=offering)
    sections, current = [], None
    for q in questions:
        if current is None or current["key"] != q.item.section:
            current = {"key": q.item.section, "label": q.item.get_section_display(), "rows": []}
            sections.append(current)
        current["rows"].append(
            {"q": q, "value": values.get(q.field, ""), "errors": errors.get(q.field, [])}
        )
    return render(
        request,
        "evaluations/evaluation/survey_fill.html",
        {
            "offering": offering,
            "survey": survey,
            "sections": sections,
            "likert": LIKERT,
            "response": response,
            "closed": survey.is_closed(today),
            "top_errors": top_errors,
            "has_errors": bool(errors or top_errors),
        },
        status=400 if (errors or top_errors) else 200,
    )


# --- Assessors: L3 -----------------------------------------------------------------------------


@region_employee_required
def l3_fill(request, region_slug, l3_id):
    assessment = get_object_or_404(
        L3Assessment.objects.select_related("enrolment__employee", "offering__program"),
        region=request.region,
        pk=l3_id,
    )
    employee = request.access.employee
    if assessment.assessor_id != employee.pk and not request.access.is_admin:
        raise Http404(_("Penilaian tidak ditemukan."))
    today = timezone.localdate()
    errors, top_errors = {}, []
    values = {name: getattr(assessment, name) for name, _label in L3_ITEMS}
    values["examples"] = assessment.examples
    if request.method == "POST":
        try:
            behaviour.l3_submit(
                assessment_id=assessment.pk, employee=employee, data=request.POST, today=today
            )
        except ValidationError as exc:
            errors, top_errors = _errors(exc)
            values = {k: request.POST.get(k, "") for k in values}
        else:
            messages.success(request, _("Penilaian evaluasi pasca pelatihan tersimpan."))
            return redirect("evaluations:my_surveys", region_slug=region_slug)
    items = [
        {
            "name": name,
            "label": label,
            "value": str(values.get(name) or ""),
            "errors": errors.get(name, []),
        }
        for name, label in L3_ITEMS
    ]
    return render(
        request,
        "evaluations/evaluation/l3_fill.html",
        {
            "assessment": assessment,
            "items": items,
            "likert": LIKERT,
            "examples": values.get("examples") or "",
            "examples_errors": errors.get("examples", []),
            "top_errors": top_errors,
            "can_submit": assessment.assessor_id == employee.pk
            and today >= assessment.available_on,
            "today": today,
        },
        status=400 if (errors or top_errors) else 200,
    )


# --- Admin: the index, reports, flags ----------------------------------------------------------


def _year(request):
    year = id_param(request.GET.get("tahun", ""))
    return year if year is not None and 2000 <= year <= 2100 else None


@region_admin_required
def evaluation_index(request, region_slug):
    year = _year(request)
    return render(
        request,
        "evaluations/evaluation/index.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "programmes": sel.programme_summaries(region=request.region, year=year),
            "flagged": sel.flagged_programmes(region=request.region, year=year),
            "conf": sel.evaluation_settings(region=request.region),
        },
    )


@region_admin_required
def flagged_list(request, region_slug):
    year = _year(request)
    return render(
        request,
        "evaluations/evaluation/flagged.html",
        {
            "year": year,
            "flagged": sel.flagged_programmes(region=request.region, year=year),
            "conf": sel.evaluation_settings(region=request.region),
        },
    )


def _chart_data(report) -> dict:
    """The report's chart data (`json_script` in the page, read by
    static/js/evaluation-charts.js)."""
    items = [i for s in report.reaction.sections for i in s.items if i.mean is not None]
    return {
        "sections": {
            "labels": [s.label for s in report.reaction.sections],
            "values": [
                float(s.mean) if s.mean is not None else None for s in report.reaction.sections
            ],
        },
        "items": {
            "labels": [i.text[:60] for i in items],
            "values": [float(i.mean) for i in items],
        },
        "batches": {
            "labels": [b["name"] for b in report.batches],
            "relevance": [
                float(b["relevance_mean"]) if b["relevance_mean"] is not None else None
                for b in report.batches
            ],
            "gain": [
                float(b["gain_mean"]) if b["gain_mean"] is not None else None
                for b in report.batches
            ],
        },
        "threshold": float(report.conf.relevance_threshold),
        "labels": {
            "mean": _("Rata-rata (1–5)"),
            "relevance": _("Relevansi (1–5)"),
            "gain": _("Kenaikan nilai"),
            "threshold": _("Ambang relevansi"),
        },
    }


@region_admin_required
def offering_report(request, region_slug, offering_id):
    offering = get_object_or_404(
        Offering.objects.select_related("program"), region=request.region, pk=offering_id
    )
    survey = surveys.survey_for_offering(offering=offering)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "template":
                form = TemplateChoiceForm(request.POST, region=request.region)
                if not form.is_valid():
                    raise ValidationError(_("Pilih kuesioner."))
                surveys.survey_template_change(
                    survey=survey, template=form.cleaned_data["template"]
                )
                messages.success(request, _("Kuesioner survei angkatan diganti."))
            elif action == "open":
                n = surveys.survey_open(offering=offering)
                messages.success(request, _("Survei dibuka; %(n)d peserta diundang.") % {"n": n})
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        return redirect(
            "evaluations:offering_report", region_slug=region_slug, offering_id=offering.pk
        )
    report = sel.evaluation_report(
        region=request.region,
        program=offering.program,
        offering=offering,
        today=timezone.localdate(),
        with_rows=True,
    )
    return render(
        request,
        "evaluations/evaluation/report.html",
        {
            "report": report,
            "offering": offering,
            "survey": survey,
            "template_form": TemplateChoiceForm(
                region=request.region, initial={"template": survey.template_id}
            ),
            "chart_data": _chart_data(report),
        },
    )


@region_admin_required
def program_report(request, region_slug, program_id):
    program = get_object_or_404(Program, region=request.region, pk=program_id)
    year = _year(request)
    report = sel.evaluation_report(
        region=request.region, program=program, year=year, today=timezone.localdate()
    )
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "pdf"):
        name = f"evaluasi-{slugify(program.code)}{'-' + str(year) if year else ''}"
        if fmt == "xlsx":
            response = HttpResponse(
                report_xlsx(report=report),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(report_pdf(report=report), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
    return render(
        request,
        "evaluations/evaluation/report.html",
        {
            "report": report,
            "year": year,
            "years": sel.evaluation_years(program=program),
            "chart_data": _chart_data(report),
            "indicator_form": IndicatorForm(),
            "measurement_form": MeasurementForm(initial={"measured_on": timezone.localdate()}),
            "delay_form": DelayForm(initial={"days": behaviour.l3_delay_days(program=program)}),
        },
    )


@region_admin_required
def program_delay(request, region_slug, program_id):
    program = get_object_or_404(Program, region=request.region, pk=program_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DelayForm(request.POST)
    if form.is_valid():
        behaviour.programme_delay_set(program=program, days=form.cleaned_data["days"])
        messages.success(request, _("Jeda evaluasi level 3 program disimpan."))
    else:
        messages.error(request, _("Jeda harus antara 1 dan 730 hari."))
    return redirect("evaluations:program_report", region_slug=region_slug, program_id=program.pk)


@region_admin_required
def indicator_create(request, region_slug, program_id):
    program = get_object_or_404(Program, region=request.region, pk=program_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            behaviour.indicator_create(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
    if form.errors:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(request, f"{label}: {e}" if label else e)
    else:
        messages.success(request, _("Indikator hasil ditambahkan."))
    return redirect("evaluations:program_report", region_slug=region_slug, program_id=program.pk)


@region_admin_required
def measurement_add(request, region_slug, indicator_id):
    indicator = get_object_or_404(OutcomeIndicator, region=request.region, pk=indicator_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            behaviour.measurement_add(indicator=indicator, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
    if form.errors:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(request, f"{label}: {e}" if label else e)
    else:
        messages.success(request, _("Pengukuran indikator dicatat."))
    return redirect(
        "evaluations:program_report", region_slug=region_slug, program_id=indicator.program_id
    )


# --- Admin: L3 follow-up -----------------------------------------------------------------------


@region_admin_required
def l3_admin_list(request, region_slug):
    today = timezone.localdate()
    return render(
        request,
        "evaluations/evaluation/l3_admin.html",
        {
            "pending": sel.l3_pending_for_admin(region=request.region, today=today)[:200],
            "today": today,
            "form": NipForm(),
        },
    )


def _employee_by_nip(request, form) -> Employee:
    employee = Employee.objects.filter(
        region=request.region, nip=form.cleaned_data["nip"], is_active=True
    ).first()
    if employee is None:
        raise ValidationError(_("Tidak ada pegawai aktif dengan NIP itu di wilayah ini."))
    return employee


@region_admin_required
def l3_manage(request, region_slug, l3_id):
    assessment = get_object_or_404(
        L3Assessment.objects.select_related("enrolment"), region=request.region, pk=l3_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = NipForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("NIP harus 18 digit."))
        employee = _employee_by_nip(request, form)
        if request.POST.get("action") == "peer":
            behaviour.l3_invite_peer(assessment=assessment, peer=employee, by=request.user)
            messages.success(request, _("Rekan kerja diundang menilai."))
        else:
            behaviour.l3_assign_assessor(assessment=assessment, assessor=employee, by=request.user)
            messages.success(request, _("Penilai ditunjuk dan diberi tahu."))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("evaluations:l3_admin_list", region_slug=region_slug)


# --- Admin: questionnaires, speakers, settings -------------------------------------------------


@region_admin_required
def template_list(request, region_slug):
    for mode in SurveyTemplate.Mode.values:
        surveys.template_default(region=request.region, mode=mode)
    return render(
        request,
        "evaluations/evaluation/templates.html",
        {
            "templates": SurveyTemplate.objects.filter(region=request.region).order_by(
                "mode", "name"
            )
        },
    )


@region_admin_required
def template_detail(request, region_slug, template_id):
    template = get_object_or_404(SurveyTemplate, region=request.region, pk=template_id)
    item_form, copy_form = SurveyItemForm(), TemplateCopyForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "copy":
            copy_form = TemplateCopyForm(request.POST)
            if copy_form.is_valid():
                copy = surveys.template_copy(template=template, name=copy_form.cleaned_data["name"])
                messages.success(request, _("Kuesioner disalin."))
                return redirect(
                    "evaluations:template_detail", region_slug=region_slug, template_id=copy.pk
                )
        elif action == "delete":
            item = SurveyItem.objects.filter(
                template=template, pk=id_param(request.POST.get("item")) or 0
            ).first()
            if item is None:
                raise Http404
            try:
                surveys.template_item_delete(item=item)
                messages.success(request, _("Butir dihapus."))
            except ValidationError as exc:
                for m in exc.messages:
                    messages.error(request, m)
            return redirect(
                "evaluations:template_detail", region_slug=region_slug, template_id=template.pk
            )
        else:
            item_form = SurveyItemForm(request.POST)
            if item_form.is_valid():
                data = item_form.cleaned_data
                try:
                    surveys.template_item_add(
                        template=template,
                        section=data["section"],
                        text=data["text"],
                        kind=data["kind"],
                        choices=item_form.choice_list(),
                        is_relevance=data["is_relevance"],
                        per_speaker=data["per_speaker"],
                        required=data["required"],
                    )
                except ValidationError as exc:
                    apply_validation_error(item_form, exc)
                else:
                    messages.success(request, _("Butir ditambahkan."))
                    return redirect(
                        "evaluations:template_detail",
                        region_slug=region_slug,
                        template_id=template.pk,
                    )
    return render(
        request,
        "evaluations/evaluation/template_detail.html",
        {
            "template": template,
            "items": template.items.order_by("position", "id"),
            "form": item_form,
            "copy_form": copy_form,
        },
    )


@region_admin_required
def speaker_list(request, region_slug):
    return render(
        request,
        "evaluations/evaluation/speakers.html",
        {"speakers": sel.speaker_ratings(region=request.region)},
    )


@region_admin_required
def settings_page(request, region_slug):
    current = EvaluationSettings.objects.filter(
        region=request.region
    ).first() or EvaluationSettings(region=request.region)
    form = EvaluationSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        if request.access.read_only:
            raise PermissionDenied
        surveys.settings_save(settings=form.save(commit=False))
        messages.success(request, _("Pengaturan evaluasi disimpan."))
        return redirect("evaluations:settings", region_slug=region_slug)
    return render(request, "evaluations/evaluation/settings.html", {"form": form})

"""Background jobs a user waits for (exports, the background employee import, reports).

`job_start` records the job and queues `evaluations.tasks.run_job` after the transaction
commits. `job_run` (what the task calls) claims the job with a compare-and-swap
(queued → running), runs the kind's runner inside the region's scope, reports progress with one
UPDATE every N rows, stores the file through Django storage and marks the job done or failed.
A failure is kept on the job as a message in Indonesian; the user never sees a 500. A job that is
done or failed is never run again; a running one only when its claim is stale (its worker died).

A higher app (dashboards) adds its own kinds with `register_job_kind` from its `ready()`: the
runner, the cleaning of the params and who may start one stay in that app.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled

from kompetensi.tasks import enqueue_on_commit
from regions import audit, imports
from regions.models import Region
from regions.notifications import notify

from .. import exports
from ..models import BackgroundJob
from ..notifications import Kind
from . import reports

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status
UNFINISHED = (Status.QUEUED, Status.RUNNING)

# A running job whose claim is older than this belongs to a worker that is gone (the task's
# hard time limit is shorter), so it may be claimed again.
STALE_AFTER = dt.timedelta(minutes=30)
# A queued job older than this was probably never handed to a worker (broker down).
REQUEUE_AFTER = dt.timedelta(minutes=5)
MAX_UNFINISHED_PER_USER = 3
MAX_ATTEMPTS = 3
MAX_STORED_ERRORS = 2000

RUN_JOB_TASK = "evaluations.tasks.run_job"

EMPLOYEE_IMPORT = "employee_import"
MONTHLY_REPORT = "monthly_report"

KIND_LABELS = {
    **{kind: export.label for kind, export in exports.EXPORTS.items()},
    EMPLOYEE_IMPORT: gettext_lazy("Impor pegawai"),
    MONTHLY_REPORT: gettext_lazy("Laporan bulanan"),
}


@dataclass(frozen=True)
class JobKind:
    """A kind of job registered by a higher app (`register_job_kind`, from its `ready()`).

    `clean(params, region=...)` returns the params the runner accepts or raises ValidationError
    with a message for the user; `allowed(user, region)` says who may start one (job_start
    raises PermissionDenied otherwise); `run(job=, region=, progress=)` returns an `Outcome`.
    `audit` records the start in the audit trail (an export of personal data). `describe(job)`
    is a short line under the title of the job's page and `back(job, region)` a (url, label) link
    back to where the job was started (both optional, shown on the job pages; no queries)."""

    kind: str
    label: str
    run: Callable[..., Outcome]
    clean: Callable[..., dict]
    allowed: Callable[..., bool] | None = None
    audit: bool = False
    describe: Callable[[BackgroundJob], str] | None = None
    back: Callable[[BackgroundJob, Region], tuple[str, str]] | None = None


REGISTERED_KINDS: dict[str, JobKind] = {}


def register_job_kind(job_kind: JobKind) -> None:
    """Add a kind of job (idempotent per key: registering it again replaces it)."""
    if job_kind.kind in KIND_LABELS and job_kind.kind not in REGISTERED_KINDS:
        raise ValueError(f"Job kind {job_kind.kind!r} is built in")
    REGISTERED_KINDS[job_kind.kind] = job_kind


def unregister_job_kind(kind: str) -> None:
    REGISTERED_KINDS.pop(kind, None)


def job_kind_label(kind: str) -> str:
    if kind in REGISTERED_KINDS:
        return str(REGISTERED_KINDS[kind].label)
    return str(KIND_LABELS.get(kind, kind))


def job_kind_extras(job: BackgroundJob, region: Region) -> dict:
    """What a registered kind shows on the job pages: `description` and `back` (url, label)."""
    registered = REGISTERED_KINDS.get(job.kind)
    if registered is None:
        return {"description": "", "back": None}
    return {
        "description": registered.describe(job) if registered.describe else "",
        "back": registered.back(job, region) if registered.back else None,
    }


# --- Progress ----------------------------------------------------------------------------------


class Progress:
    """Counts work done and writes it to the job row with one UPDATE every `every` steps."""

    def __init__(self, job_id: int, *, every: int = exports.CHUNK_SIZE):
        self.job_id = job_id
        self.every = max(1, every)
        self.total = 0
        self.done = 0
        self._written = 0
        self._side = None  # a second connection, for progress inside a transaction

    def start(self, total: int) -> None:
        self.total, self.done, self._written = total, 0, 0
        BackgroundJob.objects.filter(pk=self.job_id).update(total=total, done=0)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.done - self._written >= self.every:
            self.flush()

    def set(self, done: int) -> None:
        self.done = done
        self.flush()

    def flush(self) -> None:
        self._written = self.done
        BackgroundJob.objects.filter(pk=self.job_id).update(done=min(self.done, self.total))

    def report_outside_transaction(self, done: int, total: int) -> None:
        """Progress of work that runs inside one long transaction (the all-or-nothing employee
        import): written on a second database connection so the progress page sees it before
        the commit. On SQLite (one writer at a time) it is kept for the end instead."""
        self.total, self.done = total, done
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            BackgroundJob.objects.filter(pk=self.job_id).update(total=total, done=done)
            return
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {BackgroundJob._meta.db_table} SET total = %s, done = %s WHERE id = %s",
                [total, min(done, total), self.job_id],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# --- Starting a job ----------------------------------------------------------------------------


def _clean_params(kind: str, params: dict, *, region: Region) -> dict:
    """The parameters a runner accepts, checked (forms check shape; this is the last word)."""
    params = dict(params or {})
    if kind in REGISTERED_KINDS:
        return REGISTERED_KINDS[kind].clean(params, region=region)
    if kind in exports.EXPORTS:
        if params.get("format") not in exports.FORMATS:
            raise ValidationError(_("Pilih format berkas: XLSX atau CSV."), code="format")
        allowed = {"format", "offering", "status", "year", "include_inactive"}
        return {key: value for key, value in params.items() if key in allowed}
    if kind == EMPLOYEE_IMPORT:
        if not params.get("upload"):
            raise ValidationError(_("Berkas impor belum diunggah."), code="upload")
        return {key: params[key] for key in ("upload", "filename") if key in params}
    if kind == MONTHLY_REPORT:
        try:
            period = dt.date.fromisoformat(str(params.get("period", "")))
        except ValueError as exc:
            raise ValidationError(_("Periode laporan tidak valid."), code="period") from exc
        today = timezone.localdate()
        if period > today or period.year < 2000:
            raise ValidationError(
                _("Laporan hanya dapat dibuat untuk bulan ini atau bulan yang sudah lewat."),
                code="period",
            )
        return {"period": period.replace(day=1).isoformat()}
    raise ValidationError(_("Jenis proses tidak dikenal."), code="kind")


@transaction.atomic
def job_start(*, region: Region, user, kind: str, params: dict) -> BackgroundJob:
    """Record a job and queue its task once the transaction commits."""
    registered = REGISTERED_KINDS.get(kind)
    if registered is not None and registered.allowed and not registered.allowed(user, region):
        raise PermissionDenied(_("Anda tidak dapat memulai proses ini."))
    params = _clean_params(kind, params, region=region)
    unfinished = BackgroundJob.objects.filter(
        region=region, created_by=user, status__in=UNFINISHED
    ).count()
    if unfinished >= MAX_UNFINISHED_PER_USER:
        raise ValidationError(
            _(
                "Anda masih memiliki %(count)d proses yang belum selesai. Tunggu sampai salah "
                "satunya selesai, lalu coba lagi."
            )
            % {"count": unfinished},
            code="too_many",
        )
    params["language"] = translation.get_language() or settings.LANGUAGE_CODE
    job = BackgroundJob.objects.create(region=region, created_by=user, kind=kind, params=params)
    if kind.startswith("export_") or (registered is not None and registered.audit):
        # Who exported which personal data, when and from where (docs/security.md).
        audit.record(
            action=audit.Action.EXPORT,
            region=region,
            obj=job,
            object_label=kind,
            actor=user,
            note=", ".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "language"),
        )
    _enqueue_on_commit(job.pk)
    return job


def _enqueue_on_commit(job_id: int) -> None:
    # By name: services never import the tasks module (it imports them). A broker outage does
    # not fail the request; `requeue_jobs` queues the job later.
    enqueue_on_commit(RUN_JOB_TASK, job_id)


def employee_import_background_url(*, region: Region, user, file) -> str:
    """`regions.imports`' background import (registered in EvaluationsConfig.ready): start
    the job and return its progress page. Raises ValidationError like the form's service."""
    job = employee_import_start(region=region, user=user, file=file)
    return reverse("evaluations:job_detail", kwargs={"region_slug": region.slug, "job_id": job.pk})


def employee_import_start(*, region: Region, user, file) -> BackgroundJob:
    """Store the uploaded file, then start an employee import job that reads it.

    The stored upload is deleted by the job when it ends (or here, if the job cannot start).
    """
    name = PurePath(getattr(file, "name", "") or "impor").name
    extension = PurePath(name).suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise ValidationError(
            _("Unggah berkas CSV atau Excel (.xlsx)."), code="extension", params={}
        )
    size = getattr(file, "size", None)
    if size is not None and size > imports.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar; paling besar %(size)d MB.")
            % {"size": imports.MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="size",
        )
    stored = default_storage.save(
        f"jobs/{region.pk}/uploads/{get_random_string(16)}{extension}", file
    )
    try:
        return job_start(
            region=region,
            user=user,
            kind=EMPLOYEE_IMPORT,
            params={"upload": stored, "filename": name},
        )
    except Exception:
        default_storage.delete(stored)
        raise


# --- Running a job -----------------------------------------------------------------------------


class JobFailed(Exception):
    """A failure with a message for the user (Indonesian); `result` is kept on the job."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result or {}


@dataclass
class Outcome:
    result: dict
    file: tuple[str, str] | None = None  # (temporary path, file name) to store


def _claim(job_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER)
    return bool(
        BackgroundJob.objects.filter(claimable, pk=job_id).update(
            status=Status.RUNNING, started_at=now, done=0, error=""
        )
    )


def job_run(*, job_id: int) -> str:
    """Run job `job_id` once; returns its final status (or "skipped" when not claimable)."""
    with scopes_disabled():
        region_id = (
            BackgroundJob.objects.filter(pk=job_id).values_list("region_id", flat=True).first()
        )
    if region_id is None:
        return "missing"
    region = Region.objects.get(pk=region_id)
    with scope(region=region):
        if not _claim(job_id):
            return "skipped"
        job = BackgroundJob.objects.select_related("created_by").get(pk=job_id)
        language = job.params.get("language") or settings.LANGUAGE_CODE
        with translation.override(language):
            # A job whose worker died (hard time limit, crash) is claimed again when stale; give
            # up after a few attempts instead of killing a worker every half hour for ever.
            attempts = int(job.result.get("attempts", 0)) + 1 if job.result else 1
            if attempts > MAX_ATTEMPTS:
                _mark_failed(job, _generic_failure(), {})
                return Status.FAILED
            BackgroundJob.objects.filter(pk=job.pk).update(result={"attempts": attempts})
            return _run_claimed(job, region)


def _run_claimed(job: BackgroundJob, region: Region) -> str:
    runner = RUNNERS.get(job.kind)
    if job.kind in REGISTERED_KINDS:
        runner = REGISTERED_KINDS[job.kind].run
    progress = Progress(job.pk)
    outcome = None
    try:
        if runner is None:
            raise JobFailed(_("Jenis proses tidak dikenal."))
        outcome = runner(job=job, region=region, progress=progress)
        stored_name = ""
        if outcome.file is not None:
            path, name = outcome.file
            with open(path, "rb") as handle:
                stored_name = job.result_file.storage.save(
                    job.result_file.field.generate_filename(job, name), File(handle)
                )
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=Status.DONE,
            result=outcome.result,
            result_file=stored_name,
            done=progress.total,
            finished_at=timezone.now(),
        )
        _notify_ready(job)
        return Status.DONE
    except JobFailed as exc:
        _mark_failed(job, exc.message, exc.result)
    except Exception:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        _mark_failed(job, _generic_failure(), {})
    finally:
        if outcome is not None and outcome.file is not None:
            _remove(outcome.file[0])
    return Status.FAILED


def _generic_failure() -> str:
    return _(
        "Terjadi kesalahan saat memproses. Tidak ada perubahan yang tersimpan. "
        "Silakan coba lagi; jika masih gagal, hubungi admin sistem."
    )


def _mark_failed(job: BackgroundJob, message: str, result: dict) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=Status.FAILED, error=message, result=result, finished_at=timezone.now()
    )


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _notify_ready(job: BackgroundJob) -> None:
    """Tell the requester in the portal (and by email) when a long job is ready; short jobs are
    watched on their progress page and need no message."""
    threshold = getattr(settings, "KOMPETENSI_JOB_NOTIFY_AFTER_SECONDS", 30)
    started = BackgroundJob.objects.filter(pk=job.pk).values_list("started_at", flat=True).first()
    if job.kind == EMPLOYEE_IMPORT or started is None:
        return
    if (timezone.now() - started).total_seconds() < threshold:
        return
    employee = getattr(job.created_by, "employee", None) if job.created_by else None
    if employee is None or employee.region_id != job.region_id:
        return
    notify(
        recipient=employee,
        kind=Kind.REPORT_READY,
        subject=job,
        context={
            "title": job_kind_label(job.kind),
            "period": _period_label(job),
            "url": reverse(
                "evaluations:job_detail",
                kwargs={"region_slug": job.region.slug, "job_id": job.pk},
            ),
        },
        dedup_key=f"job:{job.pk}:ready",
    )


def _period_label(job: BackgroundJob) -> str:
    if job.kind != MONTHLY_REPORT:
        return ""
    try:
        return reports.period_label(dt.date.fromisoformat(job.params.get("period", "")))
    except ValueError:
        return ""


# --- Runners (one per kind) --------------------------------------------------------------------


def _run_export(*, job: BackgroundJob, region: Region, progress: Progress) -> Outcome:
    fmt = job.params.get("format", "xlsx")
    # Kept after closing (delete=False): the file is stored, then removed by _run_claimed.
    handle = tempfile.NamedTemporaryFile(prefix="ekspor-", suffix=f".{fmt}", delete=False)  # noqa: SIM115
    try:
        with handle:
            rows = exports.export_write(
                kind=job.kind,
                fmt=fmt,
                region=region,
                params=job.params,
                progress=progress,
                handle=handle,
            )
    except Exception:
        _remove(handle.name)
        raise
    name = exports.export_filename(kind=job.kind, fmt=fmt, region=region)
    return Outcome(result={"rows": rows, "format": fmt}, file=(handle.name, name))


def _run_employee_import(*, job: BackgroundJob, region: Region, progress: Progress) -> Outcome:
    upload = job.params.get("upload", "")
    try:
        try:
            handle = default_storage.open(upload, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise JobFailed(
                _("Berkas unggahan tidak ditemukan lagi. Unggah ulang berkas Anda.")
            ) from exc
        with handle:
            result = imports.employees_import(
                region=region,
                file=handle,
                filename=job.params.get("filename") or upload,
                progress=progress.report_outside_transaction,
            )
        # The last figures on this connection too (the side one cannot see a job row that is
        # not committed yet, e.g. inside a test's transaction).
        BackgroundJob.objects.filter(pk=job.pk).update(total=progress.total, done=progress.done)
    finally:
        progress.close()
        if upload:
            default_storage.delete(upload)
    issues = [
        {"row": issue.row, "column": issue.column, "message": str(issue.message)}
        for issue in result.errors[:MAX_STORED_ERRORS]
    ]
    summary = {
        "created": result.created,
        "error_count": len(result.errors),
        "errors": issues,
        "filename": job.params.get("filename", ""),
    }
    if not result.ok:
        if result.file_errors:
            message = " ".join(str(issue.message) for issue in result.file_errors)
        else:
            message = _(
                "Impor dibatalkan: %(count)d kesalahan ditemukan, tidak ada data yang disimpan. "
                "Perbaiki baris yang disebutkan, lalu unggah ulang seluruh berkas."
            ) % {"count": len(result.errors)}
        raise JobFailed(message, summary)
    return Outcome(result=summary)


def _run_monthly_report(*, job: BackgroundJob, region: Region, progress: Progress) -> Outcome:
    period = dt.date.fromisoformat(job.params["period"])
    progress.start(reports.REPORT_STEPS)
    report, _written = reports.report_generate(
        region=region, period=period, regenerate=True, progress=progress.set
    )
    return Outcome(
        result={"report_id": report.pk, "period": period.isoformat()},
    )


RUNNERS: dict[str, Callable[..., Outcome]] = {
    **{kind: _run_export for kind in exports.EXPORTS},
    EMPLOYEE_IMPORT: _run_employee_import,
    MONTHLY_REPORT: _run_monthly_report,
}


# --- Sweeping ----------------------------------------------------------------------------------


def jobs_to_requeue(*, now: dt.datetime | None = None) -> list[int]:
    """Jobs that were never picked up (queued for a while) or whose worker died (stale claim),
    across all regions (ids only)."""
    now = now or timezone.now()
    with scopes_disabled():
        return list(
            BackgroundJob.objects.filter(
                Q(status=Status.QUEUED, created_at__lt=now - REQUEUE_AFTER)
                | Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER)
            )
            .order_by("created_at")
            .values_list("pk", flat=True)[:500]
        )

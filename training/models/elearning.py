"""Online courses: a course per programme (the master) copied into each batch, modules,
lessons (text, video, file, SCORM 1.2, quiz), the question bank, quiz attempts and each
participant's progress per lesson.

A running batch learns from its own copy (`Course.offering`), so editing the programme's
course never changes what participants are in the middle of; an admin updates a batch's copy
on purpose (`training.services.courses.course_copy_to_offering`).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from regions.models import Region

from .catalogue import Offering, Program
from .enrolment import Enrolment


def lesson_upload_to(instance, filename):
    # The service gives the file a random name; the folder keeps regions apart.
    return f"courses/{instance.region_id}/{filename}"


class Course(models.Model):
    """The learning content of a programme (`program` set) or of one batch (`offering` set)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="course"
    )
    offering = models.OneToOneField(
        Offering, on_delete=models.CASCADE, null=True, blank=True, related_name="course"
    )
    title = models.CharField(_("judul kursus"), max_length=200)
    sequential = models.BooleanField(
        _("materi berurutan"),
        default=True,
        help_text=_("Peserta membuka materi sesuai urutan; bila tidak, bebas memilih."),
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    copied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("kursus")
        verbose_name_plural = _("kursus")
        constraints = [
            models.CheckConstraint(
                condition=(Q(program__isnull=False) & Q(offering__isnull=True))
                | (Q(program__isnull=True) & Q(offering__isnull=False)),
                name="course_of_program_or_offering",
            )
        ]

    def __str__(self):
        return self.title


class CourseModule(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("judul modul"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("modul")
        verbose_name_plural = _("modul")
        indexes = [models.Index(fields=["course", "position"])]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Teks")
        VIDEO = "video", _("Video")
        FILE = "file", _("Berkas")
        SCORM = "scorm", _("Paket SCORM 1.2")
        QUIZ = "quiz", _("Kuis / tes")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    module = models.ForeignKey(CourseModule, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("judul materi"), max_length=200)
    kind = models.CharField(_("jenis materi"), max_length=8, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    required = models.BooleanField(_("wajib diselesaikan"), default=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("perkiraan durasi (menit)"), null=True, blank=True
    )
    # text: sanitised HTML (training.sanitize), never rendered unsanitised.
    body = models.TextField(_("isi"), blank=True)
    # video: an uploaded MP4/WebM or an embedded link.
    video = models.FileField(_("berkas video"), upload_to=lesson_upload_to, blank=True)
    video_url = models.URLField(_("tautan video (embed)"), blank=True)
    # file: a document to download.
    attachment = models.FileField(_("berkas materi"), upload_to=lesson_upload_to, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    # scorm: the unpacked package's storage folder and its launch file inside it.
    scorm_root = models.CharField(max_length=200, blank=True)
    scorm_launch = models.CharField(max_length=500, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("materi")
        verbose_name_plural = _("materi")
        indexes = [models.Index(fields=["course", "position"])]

    def __str__(self):
        return self.title


class Quiz(models.Model):
    """The settings of a quiz lesson; its questions are drawn from the course's bank."""

    class Kind(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")
        PRACTICE = "practice", _("Latihan")

    class Scoring(models.TextChoices):
        BEST = "best", _("Nilai terbaik")
        LAST = "last", _("Nilai terakhir")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="quiz")
    kind = models.CharField(_("jenis tes"), max_length=8, choices=Kind.choices)
    question_count = models.PositiveSmallIntegerField(
        _("jumlah soal diambil"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk memakai semua soal di bank soal."),
    )
    shuffle_questions = models.BooleanField(_("acak urutan soal"), default=True)
    shuffle_choices = models.BooleanField(_("acak urutan pilihan"), default=True)
    pass_percent = models.PositiveSmallIntegerField(
        _("nilai lulus (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("kesempatan mengerjakan"), default=1, validators=[MinValueValidator(1)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("batas waktu (menit)"), null=True, blank=True
    )
    scoring = models.CharField(
        _("nilai yang dihitung"), max_length=4, choices=Scoring.choices, default=Scoring.BEST
    )

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("kuis")
        verbose_name_plural = _("kuis")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.lesson_id}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Pilihan ganda (satu jawaban)")
        MULTIPLE = "multiple", _("Pilihan ganda (beberapa jawaban)")
        TRUE_FALSE = "truefalse", _("Benar / salah")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("jenis soal"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("pertanyaan"))
    explanation = models.TextField(_("pembahasan"), blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("soal")
        verbose_name_plural = _("soal")
        indexes = [models.Index(fields=["course", "position"])]

    def __str__(self):
        return self.text[:60]


class Choice(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("pilihan"), max_length=500)
    is_correct = models.BooleanField(_("jawaban benar"), default=False)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = _("pilihan jawaban")

    def __str__(self):
        return self.text[:60]


class QuizAttempt(models.Model):
    """One attempt of a participant at a quiz: the questions drawn (and the order of their
    choices) are fixed when it starts, graded on the server when it is submitted."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    # [{"q": question id, "c": [choice ids in the order shown]}, ...]
    layout = models.JSONField(default=list)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    objects = ScopedManager(region="region")

    class Meta:
        ordering = ["number"]
        verbose_name = _("percobaan kuis")
        verbose_name_plural = _("percobaan kuis")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "enrolment", "number"], name="quiz_attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["quiz", "enrolment"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_attempt_per_quiz",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "submitted_at"])]

    def __str__(self):
        return f"{self.quiz_id} · {self.enrolment_id} #{self.number}"


class AttemptAnswer(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="picks")
    is_correct = models.BooleanField(default=False)

    objects = ScopedManager(region="region")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.attempt_id}/{self.question_id}"


class LessonProgress(models.Model):
    """Where a participant is in one lesson (and, for SCORM, the runtime's stored data)."""

    class Status(models.TextChoices):
        STARTED = "started", _("Sedang dipelajari")
        COMPLETED = "completed", _("Selesai")
        FAILED = "failed", _("Belum lulus")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STARTED)
    completed_at = models.DateTimeField(null=True, blank=True)
    video_position = models.FloatField(default=0)
    scorm_status = models.CharField(max_length=20, blank=True)
    scorm_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    scorm_location = models.CharField(max_length=255, blank=True)
    scorm_suspend_data = models.TextField(blank=True)
    scorm_total_time = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(region="region")

    class Meta:
        verbose_name = _("kemajuan belajar")
        verbose_name_plural = _("kemajuan belajar")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson")
        ]
        indexes = [models.Index(fields=["lesson", "status"])]

    def __str__(self):
        return f"{self.enrolment_id}/{self.lesson_id}: {self.status}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.COMPLETED

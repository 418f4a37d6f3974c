"""Forms of the course builder, the quiz pages, paper-test scores and certificates. They parse
input; the services decide (see `training.forms.catalogue`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from training.lesson_files import DOCUMENT_ACCEPT, VIDEO_ACCEPT
from training.models import Lesson, Question, Quiz


class CourseSettingsForm(forms.Form):
    title = forms.CharField(label=_("Judul kursus"), max_length=200)
    sequential = forms.BooleanField(
        label=_("Materi dibuka berurutan"),
        required=False,
        help_text=_("Bila tidak dicentang, peserta bebas memilih urutan materi."),
    )


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Judul modul"), max_length=200)


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Judul materi"), max_length=200)
    required = forms.BooleanField(label=_("Wajib diselesaikan"), required=False, initial=True)
    duration_minutes = forms.IntegerField(
        label=_("Perkiraan durasi (menit)"), required=False, min_value=1, max_value=1000
    )
    body = forms.CharField(
        label=_("Isi materi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-rich-editor": ""}),
        help_text=_("Teks dirapikan otomatis: skrip dan atribut berbahaya dibuang."),
    )
    video = forms.FileField(
        label=_("Berkas video (MP4/WebM)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": VIDEO_ACCEPT}),
    )
    video_url = forms.URLField(
        label=_("Atau tautan video (embed, https://)"), required=False, assume_scheme="https"
    )
    attachment = forms.FileField(
        label=_("Berkas materi (PDF, DOCX, PPTX, XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
    package = forms.FileField(
        label=_("Paket SCORM 1.2 (zip)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    quiz_kind = forms.ChoiceField(label=_("Jenis tes"), choices=Quiz.Kind.choices, required=False)

    KIND_FIELDS = {
        Lesson.Kind.TEXT: ("body",),
        Lesson.Kind.VIDEO: ("video", "video_url"),
        Lesson.Kind.FILE: ("attachment",),
        Lesson.Kind.SCORM: ("package",),
        Lesson.Kind.QUIZ: ("quiz_kind",),
    }
    COMMON = ("title", "required", "duration_minutes")

    def __init__(self, *args, kind: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        keep = set(self.COMMON) | set(self.KIND_FIELDS[kind])
        if editing:
            keep.discard("quiz_kind")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class QuizSettingsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis tes"), choices=Quiz.Kind.choices)
    question_count = forms.IntegerField(
        label=_("Jumlah soal diambil acak"),
        required=False,
        min_value=1,
        help_text=_("Kosongkan untuk memakai semua soal di bank soal."),
    )
    shuffle_questions = forms.BooleanField(label=_("Acak urutan soal"), required=False)
    shuffle_choices = forms.BooleanField(label=_("Acak urutan pilihan"), required=False)
    pass_percent = forms.IntegerField(
        label=_("Nilai lulus (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Wajib untuk post-test; tidak dipakai untuk pre-test."),
    )
    max_attempts = forms.IntegerField(label=_("Kesempatan mengerjakan"), min_value=1, max_value=20)
    time_limit_minutes = forms.IntegerField(
        label=_("Batas waktu (menit)"), required=False, min_value=1, max_value=600
    )
    scoring = forms.ChoiceField(label=_("Nilai yang dihitung"), choices=Quiz.Scoring.choices)


CHOICE_ROWS = 6


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis soal"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Pertanyaan"), widget=forms.Textarea(attrs={"rows": 3}))
    explanation = forms.CharField(
        label=_("Pembahasan (tampil setelah jawaban dikirim)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    statement_true = forms.BooleanField(
        label=_("Pernyataan ini benar (untuk soal benar/salah)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(CHOICE_ROWS):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=_("Pilihan %(n)s") % {"n": i + 1}, required=False, max_length=500
            )
            self.fields[f"correct_{i}"] = forms.BooleanField(label=_("Benar"), required=False)

    def choice_rows(self):
        return [(self[f"choice_{i}"], self[f"correct_{i}"]) for i in range(CHOICE_ROWS)]

    def choices(self) -> list[tuple[str, bool]]:
        data = self.cleaned_data
        if data["kind"] == Question.Kind.TRUE_FALSE:
            return [("", data.get("statement_true", False))]
        return [
            (data.get(f"choice_{i}", ""), data.get(f"correct_{i}", False))
            for i in range(CHOICE_ROWS)
        ]


class CopyCourseForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Salin kursus dari program"), queryset=None, empty_label=_("Pilih program")
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = programs
        self.fields["source"].error_messages["invalid_choice"] = _(
            "Program sumber tidak ada di wilayah ini."
        )


class ScoresImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas nilai (CSV atau XLSX)"),
        help_text=_("Kolom: NIP, nilai pre-test, nilai post-test (0–100). Baris judul boleh ada."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CertificateSettingsForm(forms.Form):
    number_pattern = forms.CharField(label=_("Pola nomor sertifikat"), max_length=120)
    signer_name = forms.CharField(label=_("Nama pejabat penanda tangan"), max_length=150)
    signer_title = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200)
    signer_nip = forms.CharField(label=_("NIP penanda tangan"), max_length=30, required=False)
    city = forms.CharField(label=_("Kota penerbitan"), max_length=100, required=False)
    logo = forms.FileField(
        label=_("Logo instansi (PNG/JPG, paling besar 1 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

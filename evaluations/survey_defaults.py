"""The national default questionnaires (L1 reaction survey), shipped in code.

A region gets its own copy of each the first time a batch needs one
(`evaluations.services.surveys.template_default`); its admins then edit their copy. Items:
(section, text, kind, options) with options `relevance`, `per_speaker`, `choices`, `required`.
"""

from django.utils.translation import gettext_noop as N

TRAINER = (
    N("Penguasaan materi"),
    N("Ketepatan waktu"),
    N("Metode dan media pembelajaran"),
    N("Sikap dan perilaku"),
    N("Cara menjawab pertanyaan"),
    N("Kemampuan memotivasi peserta"),
)
ORGANISATION = (
    N("Fasilitas dan sarana pelatihan"),
    N("Jadwal dilaksanakan sesuai rencana"),
    N("Bahan ajar / materi"),
    N("Pelayanan panitia"),
    N("Administrasi pelatihan"),
)
ELEARNING_ORGANISATION = (
    N("Kemudahan menggunakan platform e-learning"),
    N("Kualitas video dan bahan bacaan"),
    N("Kejelasan petunjuk dan tugas"),
    N("Tanggapan admin atau fasilitator atas pertanyaan"),
    N("Kesesuaian waktu belajar dengan beban kerja"),
)
RELEVANCE = N("Materi pelatihan relevan dengan pekerjaan saya sehari-hari")
OVERALL = N("Secara keseluruhan, pelatihan ini bermanfaat")
RECOMMEND = N("Apakah Anda akan merekomendasikan pelatihan ini kepada rekan kerja?")
RECOMMEND_CHOICES = (N("Ya"), N("Mungkin"), N("Tidak"))
RELEVANCE_COMMENT = N("Bagian mana yang paling atau paling tidak sesuai dengan pekerjaan Anda?")
IMPROVE = N("Apa yang perlu diperbaiki dari pelatihan ini?")


def _items(organisation, with_speakers: bool):
    items = []
    if with_speakers:
        items += [("trainer", text, "likert", {"per_speaker": True}) for text in TRAINER]
    items += [("organisation", text, "likert", {}) for text in organisation]
    items += [
        ("relevance", RELEVANCE, "likert", {"relevance": True}),
        ("relevance", RELEVANCE_COMMENT, "text", {"required": False}),
        ("overall", OVERALL, "likert", {}),
        ("overall", RECOMMEND, "choice", {"choices": list(RECOMMEND_CHOICES)}),
        ("improvement", IMPROVE, "text", {"required": False}),
    ]
    return items


DEFAULT_TEMPLATES = {
    "classroom": (
        N("Survei reaksi pelatihan klasikal (bawaan nasional)"),
        _items(ORGANISATION, True),
    ),
    "elearning": (
        N("Survei reaksi e-learning (bawaan nasional)"),
        _items(ELEARNING_ORGANISATION, True),
    ),
}

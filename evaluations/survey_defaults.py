"""The national default questionnaires (L1 reaction survey), shipped in code, in Indonesian
(copied into a region's data, not UI text).

A region gets its own copy of each the first time a batch needs one
(`evaluations.services.surveys.template_default`); its admins then edit their copy. Items:
(section, text, kind, options) with options `relevance`, `per_speaker`, `choices`, `required`.
"""

TRAINER = (
    "Penguasaan materi",
    "Ketepatan waktu",
    "Metode dan media pembelajaran",
    "Sikap dan perilaku",
    "Cara menjawab pertanyaan",
    "Kemampuan memotivasi peserta",
)
ORGANISATION = (
    "Fasilitas dan sarana pelatihan",
    "Jadwal dilaksanakan sesuai rencana",
    "Bahan ajar / materi",
    "Pelayanan panitia",
    "Administrasi pelatihan",
)
ELEARNING_ORGANISATION = (
    "Kemudahan menggunakan platform e-learning",
    "Kualitas video dan bahan bacaan",
    "Kejelasan petunjuk dan tugas",
    "Tanggapan admin atau fasilitator atas pertanyaan",
    "Kesesuaian waktu belajar dengan beban kerja",
)
RELEVANCE = "Materi pelatihan relevan dengan pekerjaan saya sehari-hari"
OVERALL = "Secara keseluruhan, pelatihan ini bermanfaat"
RECOMMEND = "Apakah Anda akan merekomendasikan pelatihan ini kepada rekan kerja?"
RECOMMEND_CHOICES = ("Ya", "Mungkin", "Tidak")
RELEVANCE_COMMENT = "Bagian mana yang paling atau paling tidak sesuai dengan pekerjaan Anda?"
IMPROVE = "Apa yang perlu diperbaiki dari pelatihan ini?"


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
        "Survei reaksi pelatihan klasikal (bawaan nasional)",
        _items(ORGANISATION, True),
    ),
    "elearning": (
        "Survei reaksi e-learning (bawaan nasional)",
        _items(ELEARNING_ORGANISATION, True),
    ),
}

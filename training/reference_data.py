"""National reference data: SIASN forms of development and the national competency dictionaries.

Sources: shared/DOMAIN.md (SIASN jenisDiklat 1–25, LAN JP conversion guidance) and
PermenPAN-RB 38/2017 (managerial and socio-cultural competencies, levels 1–5). Loaded by a
data migration and kept in sync by `sync_reference_data`, which is safe to run again.
"""

from decimal import Decimal as D

# id, name, kind, is_structural, JP conversion (per day, per day intl, per activity,
# per activity intl, per session, max sessions/month, max JP/day)
DEVELOPMENT_FORMS = [
    (1, "Diklat Struktural (Pelatihan Struktural Kepemimpinan)", "klasikal", True, {}),
    (2, "Diklat Fungsional", "klasikal", False, {}),
    (3, "Diklat Teknis", "klasikal", False, {}),
    (
        4,
        "Workshop / Lokakarya",
        "klasikal",
        False,
        {"jp_per_day": D(5), "jp_per_day_international": D(7)},
    ),
    (5, "Pelatihan Manajerial", "klasikal", False, {}),
    (6, "Pelatihan Sosial Kultural", "klasikal", False, {}),
    (7, "Sosialisasi", "klasikal", False, {}),
    (8, "Bimbingan Teknis", "klasikal", False, {}),
    (
        9,
        "Seminar / Konferensi / Sarasehan",
        "klasikal",
        False,
        {"jp_per_day": D(4), "jp_per_day_international": D(6)},
    ),
    (
        10,
        "Magang / Praktik Kerja",
        "nonklasikal",
        False,
        {"jp_per_activity": D(20), "jp_per_activity_international": D(24)},
    ),
    (11, "Kursus", "klasikal", False, {}),
    (12, "Penataran", "klasikal", False, {}),
    (13, "Klasikal lainnya", "klasikal", False, {}),
    (14, "Coaching", "nonklasikal", False, {}),
    (15, "Mentoring", "nonklasikal", False, {}),
    (16, "E-Learning", "nonklasikal", False, {"max_jp_per_day": D(3)}),
    (17, "Pelatihan Jarak Jauh", "nonklasikal", False, {}),
    (18, "Detasering (secondment)", "nonklasikal", False, {}),
    (19, "Pembelajaran Alam Terbuka (outbound)", "nonklasikal", False, {}),
    (20, "Patok Banding (benchmarking)", "nonklasikal", False, {}),
    (
        21,
        "Pertukaran PNS dengan pegawai swasta/BUMN/BUMD",
        "nonklasikal",
        False,
        {"jp_per_activity": D(20), "jp_per_activity_international": D(24)},
    ),
    (22, "Belajar Mandiri (self development)", "nonklasikal", False, {}),
    (
        23,
        "Komunitas Belajar (community of practice)",
        "nonklasikal",
        False,
        {"max_jp_per_day": D(2)},
    ),
    (
        24,
        "Bimbingan di Tempat Kerja",
        "nonklasikal",
        False,
        {"jp_per_session": D(2), "max_sessions_per_month": 2},
    ),
    (25, "Nonklasikal lainnya", "nonklasikal", False, {}),
]

# code, name, type, definition, five level descriptions
NATIONAL_COMPETENCIES = [
    (
        "M.01",
        "Integritas",
        "manajerial",
        "Konsisten berperilaku selaras dengan nilai, norma dan/atau etika organisasi, serta jujur dalam hubungan dengan manajemen, rekan kerja, bawahan langsung, dan pemangku kepentingan.",
        [
            "Mampu bertindak sesuai nilai, norma, dan etika organisasi dalam kapasitas pribadi.",
            "Mampu mengingatkan dan mengajak rekan kerja untuk bertindak sesuai nilai, norma, dan etika organisasi.",
            "Mampu memastikan dan menanamkan keyakinan bersama agar anggota yang dipimpin bertindak sesuai nilai, norma, dan etika organisasi.",
            "Mampu menciptakan situasi kerja yang membuat rekan kerja konsisten mempertahankan integritas.",
            "Mampu menjadi teladan dalam penerapan standar keadilan dan etika di tingkat nasional.",
        ],
    ),
    (
        "M.02",
        "Kerja Sama",
        "manajerial",
        "Kemampuan menjalin, membina, mempertahankan hubungan kerja yang efektif, memiliki komitmen saling membantu dalam penyelesaian tugas, dan mengoptimalkan segala sumber daya untuk mencapai tujuan strategis organisasi.",
        [
            "Berpartisipasi aktif dalam kelompok kerja.",
            "Menumbuhkan tim kerja yang partisipatif dan efektif.",
            "Efektif membangun tim kerja untuk peningkatan kinerja organisasi.",
            "Membangun komitmen tim dan sinergi antarunit kerja.",
            "Menciptakan situasi kerja sama yang menghasilkan sinergi lintas instansi.",
        ],
    ),
    (
        "M.03",
        "Komunikasi",
        "manajerial",
        "Kemampuan menerangkan pandangan dan gagasan secara jelas, sistematis, dan meyakinkan, disertai penggunaan bahasa yang santun.",
        [
            "Menyampaikan informasi dengan jelas, lengkap, dan mudah dipahami.",
            "Aktif menjalankan komunikasi secara formal dan informal; bersedia mendengarkan orang lain.",
            "Berkomunikasi secara asertif, terampil berkomunikasi lisan maupun tertulis.",
            "Mampu mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk mendorong kesepakatan.",
            "Menggagas sistem komunikasi yang terbuka secara strategis untuk mencari solusi.",
        ],
    ),
    (
        "M.04",
        "Orientasi pada Hasil",
        "manajerial",
        "Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat diandalkan, bertanggung jawab, dan meningkatkan kinerja secara berkesinambungan.",
        [
            "Bertanggung jawab untuk memenuhi standar kerja.",
            "Berupaya meningkatkan hasil kerja pribadi yang lebih tinggi dari standar.",
            "Menetapkan target kerja yang menantang bagi unit kerja dan memberi apresiasi atas pencapaiannya.",
            "Mendorong unit kerja mencapai target yang melebihi hasil kerja sebelumnya.",
            "Menciptakan budaya berorientasi pada hasil di tingkat organisasi.",
        ],
    ),
    (
        "M.05",
        "Pelayanan Publik",
        "manajerial",
        "Kemampuan melaksanakan tugas pemerintahan, pembangunan, dan pelayanan publik secara profesional, transparan, mengikuti standar pelayanan yang objektif, netral, tidak memihak, dan tidak diskriminatif.",
        [
            "Menjalankan tugas mengikuti standar pelayanan.",
            "Mampu mensupervisi dan mengawasi pelayanan oleh bawahan serta menjaga netralitas.",
            "Mampu memanfaatkan kekuatan kelompok serta memperbaiki standar pelayanan publik.",
            "Mampu memonitor, mengevaluasi, dan memperbaiki pelayanan publik di lingkup unit kerja.",
            "Mampu menciptakan kebijakan pelayanan publik yang menjamin terselenggaranya pelayanan yang berkualitas.",
        ],
    ),
    (
        "M.06",
        "Pengembangan Diri dan Orang Lain",
        "manajerial",
        "Kemampuan meningkatkan pengetahuan dan menyempurnakan keterampilan diri; menginspirasi orang lain untuk mengembangkan dan menyempurnakan pengetahuan dan keterampilan yang relevan dengan kerja.",
        [
            "Pengembangan diri.",
            "Meningkatkan kemampuan bawahan dengan memberikan contoh dan penjelasan cara melaksanakan pekerjaan.",
            "Memberikan umpan balik dan membimbing bawahan.",
            "Menyusun program pengembangan jangka panjang dalam rangka mendorong manajemen pembelajaran.",
            "Menciptakan situasi yang mendorong organisasi untuk mengembangkan kemampuan belajar secara berkelanjutan.",
        ],
    ),
    (
        "M.07",
        "Mengelola Perubahan",
        "manajerial",
        "Kemampuan menyesuaikan diri dengan situasi yang baru atau berubah dan tidak bergantung secara berlebihan pada metode dan proses lama; mengambil tindakan untuk mendukung dan melaksanakan insiatif perubahan.",
        [
            "Menyesuaikan diri dengan perubahan.",
            "Proaktif beradaptasi mengikuti perubahan.",
            "Membantu orang lain mengikuti perubahan dan mengantisipasi perubahan secara tepat.",
            "Memimpin perubahan pada unit kerja.",
            "Mengarahkan perubahan organisasi yang strategis.",
        ],
    ),
    (
        "M.08",
        "Pengambilan Keputusan",
        "manajerial",
        "Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri setelah mempertimbangkan prinsip kehati-hatian, dirumuskan secara sistematis dan seksama berdasarkan informasi, alternatif pemecahan masalah, dan konsekuensinya.",
        [
            "Mengumpulkan informasi untuk bertindak sesuai kewenangan.",
            "Menganalisis masalah secara mendalam.",
            "Membandingkan berbagai alternatif, menyeimbangkan risiko keberhasilan dalam implementasi.",
            "Menyelesaikan masalah yang mengandung risiko tinggi, mengantisipasi dampak keputusan.",
            "Menghasilkan solusi strategis yang berdampak pada tataran lintas sektor dan nasional.",
        ],
    ),
    (
        "SK.01",
        "Perekat Bangsa",
        "sosial_kultural",
        "Kemampuan dalam mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan individu/kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam mempersatukan masyarakat.",
        [
            "Peka dan memahami serta menerima kemajemukan.",
            "Aktif mengembangkan sikap saling menghargai, menekankan persamaan dan persatuan.",
            "Mempromosikan, mengembangkan sikap toleransi dan persatuan.",
            "Mendayagunakan perbedaan secara konstruktif dan kreatif untuk meningkatkan efektivitas organisasi.",
            "Wakil pemerintah untuk membangun hubungan sosial psikologis.",
        ],
    ),
]


def sync_reference_data(development_form_model, competency_model, level_model) -> None:
    """Create or update the national rows. Takes model classes so migrations can use it."""
    for form_id, name, kind, structural, jp in DEVELOPMENT_FORMS:
        development_form_model.objects.update_or_create(
            id=form_id, defaults={"name": name, "kind": kind, "is_structural": structural, **jp}
        )
    for code, name, ctype, definition, levels in NATIONAL_COMPETENCIES:
        competency, _ = competency_model._base_manager.update_or_create(
            region=None,
            code=code,
            defaults={"name": name, "type": ctype, "description": definition},
        )
        for number, text in enumerate(levels, start=1):
            level_model._base_manager.update_or_create(
                competency=competency, level=number, defaults={"description": text}
            )

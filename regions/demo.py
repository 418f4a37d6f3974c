"""Demo data: the four regions of the first roll-out (shared/DOMAIN.md), their units and people.

`build_plans()` turns the tables below into plain data, deterministically (a seeded
`random.Random`, no database), so every run plans the very same people with the same NIPs.
`load_region()` writes one plan through the services of `regions.services`, skipping whatever
already exists (region by slug, unit by code, employee by NIP): running it twice creates nothing
the second time.
"""

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django_scopes import scope, scopes_disabled

from . import nip as nip_rules
from . import services
from .models import Employee, FunctionalLevel, Golongan, Membership, PositionType, Region, Unit

DEMO_PASSWORD = "Kompetensi#2026"
NATIONAL_VIEWER = {"username": "nasional", "email": "nasional@kompetensi.local"}

ADMIN, SUPERVISOR, ASN = "admin", "supervisor", "asn"
DEMO_ROLE_LABELS = {ADMIN: "Admin BKPSDM", SUPERVISOR: "Atasan langsung", ASN: "ASN"}

P = PositionType
L = FunctionalLevel
G = Golongan

# --- Posts: who works in a unit, and who reports to whom ------------------------------------


@dataclass(frozen=True)
class Post:
    """A position in a unit; `under` are the posts reporting to it (its holders' subordinates)."""

    title: str
    ptype: str
    level: str = ""
    count: int = 1
    pppk: int = 0  # how many of `count` are PPPK (fungsional / pelaksana only)
    female: float = 0.45
    degree: str | None = None  # "prefix|suffix", e.g. "dr.|" or "|S.Kep., Ns."
    demo: str = ""  # the first holder gets this demo login role
    under: tuple["Post", ...] = ()


def jpt(title, *under, degree=None):
    return Post(title, P.JPT_PRATAMA, under=under, degree=degree)


def adm(title, *under, degree=None, demo=""):
    return Post(title, P.ADMINISTRATOR, under=under, degree=degree, demo=demo)


def pgw(title, *under, degree=None, demo=""):
    return Post(title, P.PENGAWAS, under=under, degree=degree, demo=demo)


def ahli(name, level, count=1, *, pppk=0, female=0.45, degree=None, demo=""):
    label = FunctionalLevel(level).label
    return Post(f"{name} {label}", P.FUNGSIONAL_KEAHLIAN, level, count, pppk, female, degree, demo)


def trampil(name, level, count=1, *, pppk=0, female=0.45, degree=None):
    label = FunctionalLevel(level).label
    return Post(f"{name} {label}", P.FUNGSIONAL_KETERAMPILAN, level, count, pppk, female, degree)


def pel(title, count=1, *, pppk=0, female=0.45, demo=""):
    return Post(title, P.PELAKSANA, count=count, pppk=pppk, female=female, demo=demo)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    posts: tuple[Post, ...]
    parent: str | None = None  # code of the parent unit
    report_to: str | None = None  # title of the post in the parent unit the head reports to
    field: str = "umum"  # picks plausible academic degrees: umum, pendidikan, kesehatan, teknik


K = Unit.Kind

# --- Unit builders shared by the cities ------------------------------------------------------
# `big` staffs a unit like a big city (Semarang): one bidang more, more staff per post.


def _sekretariat(unit_name: str, big: bool) -> Post:
    if not big:
        return adm(f"Sekretaris {unit_name}", pel("Pengadministrasi Perkantoran"))
    return adm(
        f"Sekretaris {unit_name}",
        pgw("Kepala Subbagian Umum dan Kepegawaian", pel("Pengadministrasi Perkantoran")),
    )


def _opd(code, name, kind, bidang, *, big, head=None, field="umum", keep=1, degree=None):
    """A dinas or badan: head, secretary and its first `keep` bidang (one more when big)."""
    chosen = bidang[: keep + 1 if big else keep]
    head = head or f"Kepala {name}"
    posts = (jpt(head, _sekretariat(name, big), *chosen, degree=degree),)
    return UnitSpec(code, name, kind, posts, field=field)


def setda(city: str, *, big: bool = False) -> list[UnitSpec]:
    asisten = [
        "Asisten Pemerintahan dan Kesejahteraan Rakyat",
        "Asisten Perekonomian dan Pembangunan",
        "Asisten Administrasi Umum",
    ]
    head = jpt("Sekretaris Daerah", *(jpt(a) for a in asisten), pel("Pengadministrasi Perkantoran"))
    bagian = [
        ("PEM", "Bagian Pemerintahan", 0, "Analis Kebijakan"),
        ("ORG", "Bagian Organisasi", 2, "Analis Kebijakan"),
        ("UMUM", "Bagian Umum", 2, "Pranata Komputer"),
        ("HUK", "Bagian Hukum", 0, "Perancang Peraturan Perundang-undangan"),
        ("PBJ", "Bagian Pengadaan Barang dan Jasa", 1, "Pengelola Pengadaan Barang/Jasa"),
    ]
    units = [UnitSpec("SETDA", f"Sekretariat Daerah Kota {city}", K.SEKRETARIAT, (head,))]
    for code, name, asisten_index, fungsional in bagian if big else bagian[:3]:
        staff = [ahli(fungsional, L.AHLI_MUDA)]
        if big:
            staff.append(pel("Pengolah Data dan Informasi"))
        posts = (adm(f"Kepala {name}", *staff),)
        units.append(
            UnitSpec(f"SETDA.{code}", name, K.BAGIAN, posts, "SETDA", asisten[asisten_index])
        )
    return units


def bkpsdm(code: str, name: str, *, big: bool = False, only_development: bool = False):
    """The region's civil-service agency; the demo admin is its competency-development analyst."""
    n = 2 if big else 1
    development = adm(
        "Kepala Bidang Pengembangan Kompetensi Aparatur",
        ahli("Analis SDM Aparatur", L.AHLI_MUDA, demo=ADMIN),
        ahli("Analis SDM Aparatur", L.AHLI_PERTAMA, n),
        trampil("Pranata SDM Aparatur", L.MAHIR),
    )
    if only_development:
        return UnitSpec(code, name, K.BADAN, (jpt(f"Kepala {name}", development),))
    bidang = [
        development,
        adm(
            "Kepala Bidang Pengadaan, Pemberhentian dan Informasi",
            ahli("Analis SDM Aparatur", L.AHLI_PERTAMA),
            trampil("Pranata SDM Aparatur", L.TERAMPIL, n),
        ),
        adm(
            "Kepala Bidang Mutasi dan Promosi",
            ahli("Analis SDM Aparatur", L.AHLI_MUDA),
            pel("Penata Layanan Operasional", n - 1 or 1),
        ),
        adm(
            "Kepala Bidang Penilaian Kinerja Aparatur dan Penghargaan",
            ahli("Analis SDM Aparatur", L.AHLI_PERTAMA),
        ),
    ]
    return _opd(code, name, K.BADAN, bidang, big=big, keep=4)


def disdik(city: str, schools: list[str], *, big: bool = False) -> list[UnitSpec]:
    n = 2 if big else 1
    bidang = [
        adm(
            "Kepala Bidang Pembinaan Sekolah Dasar",
            ahli("Pengawas Sekolah", L.AHLI_MADYA, female=0.6),
            pel("Penata Layanan Operasional"),
        ),
        adm(
            "Kepala Bidang Pembinaan Sekolah Menengah Pertama",
            ahli("Pengawas Sekolah", L.AHLI_MUDA, female=0.6),
        ),
        adm(
            "Kepala Bidang Guru dan Tenaga Kependidikan",
            ahli("Analis SDM Aparatur", L.AHLI_PERTAMA, n),
        ),
    ]
    units = [_opd("DISDIK", "Dinas Pendidikan", K.DINAS, bidang, big=big, field="pendidikan")]
    for i, school in enumerate(schools, start=1):
        head = Post(
            "Kepala Sekolah (Guru Ahli Madya)",
            P.FUNGSIONAL_KEAHLIAN,
            L.AHLI_MADYA,
            female=0.6,
            under=(
                ahli("Guru", L.AHLI_MUDA, n, female=0.65),
                ahli("Guru", L.AHLI_PERTAMA, 1 + n, pppk=2, female=0.65),
                pel("Pengadministrasi Perkantoran"),
            ),
        )
        units.append(
            UnitSpec(f"SEK.{i:02d}", school, K.SEKOLAH, (head,), "DISDIK", field="pendidikan")
        )
    return units


def puskesmas(code: str, name: str, *, parent: str | None = None, big=False) -> UnitSpec:
    under = [
        ahli("Dokter", L.AHLI_PERTAMA, degree="dr.|", female=0.55),
        ahli("Perawat", L.AHLI_PERTAMA, degree="|S.Kep., Ns.", female=0.7),
        trampil("Perawat", L.TERAMPIL, 2, pppk=1, degree="|A.Md.Kep.", female=0.7),
        trampil("Bidan", L.TERAMPIL, pppk=1, degree="|A.Md.Keb.", female=1),
    ]
    if big:
        under.append(pel("Pengadministrasi Perkantoran"))
    head = pgw(f"Kepala {name}", *under, degree="dr.|")
    return UnitSpec(code, name, K.PUSKESMAS, (head,), parent, field="kesehatan")


def dinkes(puskesmas_names: list[str], *, big: bool = False) -> list[UnitSpec]:
    bidang = [
        adm(
            "Kepala Bidang Kesehatan Masyarakat",
            ahli("Nutrisionis", L.AHLI_MUDA, female=0.7),
            ahli("Penyuluh Kesehatan Masyarakat", L.AHLI_PERTAMA, female=0.6),
        ),
        adm(
            "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
            ahli("Epidemiolog Kesehatan", L.AHLI_MUDA),
            trampil("Sanitarian", L.TERAMPIL),
        ),
        adm(
            "Kepala Bidang Pelayanan dan Sumber Daya Kesehatan",
            ahli("Administrator Kesehatan", L.AHLI_PERTAMA),
        ),
    ]
    units = [_opd("DINKES", "Dinas Kesehatan", K.DINAS, bidang, big=big, field="kesehatan")]
    for i, name in enumerate(puskesmas_names, start=1):
        units.append(puskesmas(f"PKM.{i:02d}", name, parent="DINKES", big=big))
    return units


def rsud(name: str, *, big: bool = False) -> UnitSpec:
    n = 2 if big else 1
    head = jpt(
        "Direktur",
        adm("Kepala Bagian Tata Usaha", pel("Pengadministrasi Perkantoran", n)),
        adm(
            "Kepala Bidang Pelayanan Medik",
            ahli("Dokter Spesialis Penyakit Dalam", L.AHLI_MADYA, degree="dr.|Sp.PD.", female=0.4),
            ahli("Dokter", L.AHLI_MUDA, n, degree="dr.|", female=0.5),
            *(
                [ahli("Apoteker", L.AHLI_PERTAMA, degree="|S.Farm., Apt.", female=0.7)]
                if big
                else []
            ),
        ),
        adm(
            "Kepala Bidang Keperawatan",
            pgw(
                "Kepala Seksi Asuhan Keperawatan",
                ahli("Perawat", L.AHLI_PERTAMA, n, degree="|S.Kep., Ns.", female=0.7),
                *([trampil("Perawat", L.MAHIR, degree="|A.Md.Kep.", female=0.7)] if big else []),
                trampil("Perawat", L.TERAMPIL, 1 + n, pppk=n, degree="|A.Md.Kep.", female=0.7),
                trampil("Bidan", L.TERAMPIL, degree="|A.Md.Keb.", female=1),
            ),
        ),
        degree="dr.|M.Kes.",
    )
    return UnitSpec("RSUD", name, K.RSUD, (head,), field="kesehatan")


def disdukcapil(*, big: bool = False) -> UnitSpec:
    """Its Seksi Identitas Penduduk gives the demo supervisor and the demo ASN."""
    bidang = [
        adm(
            "Kepala Bidang Pelayanan Pendaftaran Penduduk",
            pgw(
                "Kepala Seksi Identitas Penduduk",
                pel("Penata Layanan Operasional", 2, demo=ASN),
                pel("Operator Layanan Operasional", 2 if big else 1, pppk=1),
                demo=SUPERVISOR,
            ),
            ahli("Administrator Database Kependudukan", L.AHLI_PERTAMA),
        ),
        adm(
            "Kepala Bidang Pelayanan Pencatatan Sipil",
            pgw("Kepala Seksi Kelahiran dan Kematian", pel("Penata Layanan Operasional")),
        ),
        adm(
            "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
            ahli("Pranata Komputer", L.AHLI_PERTAMA),
            trampil("Pranata Komputer", L.TERAMPIL),
        ),
    ]
    name = "Dinas Kependudukan dan Pencatatan Sipil"
    return _opd("DUKCAPIL", name, K.DINAS, bidang, big=big)


def dpmptsp(*, big: bool = False) -> UnitSpec:
    name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    bidang = [
        adm(
            "Kepala Bidang Pelayanan Perizinan",
            pel("Penata Layanan Operasional", 2 if big else 1),
            pel("Operator Layanan Operasional", pppk=1),
        ),
        adm("Kepala Bidang Penanaman Modal", ahli("Analis Kebijakan", L.AHLI_MUDA)),
        adm(
            "Kepala Bidang Pengaduan, Kebijakan dan Pelaporan Layanan",
            ahli("Analis Kebijakan", L.AHLI_PERTAMA),
        ),
    ]
    return _opd("DPMPTSP", name, K.DINAS, bidang, big=big)


def bappeda(*, big: bool = False) -> UnitSpec:
    name = "Badan Perencanaan Pembangunan Daerah"
    bidang = [
        adm(
            "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
            ahli("Perencana", L.AHLI_MUDA),
            ahli("Perencana", L.AHLI_PERTAMA),
        ),
        adm("Kepala Bidang Infrastruktur dan Kewilayahan", ahli("Perencana", L.AHLI_MUDA)),
        adm("Kepala Bidang Perekonomian dan Sumber Daya Alam", ahli("Perencana", L.AHLI_PERTAMA)),
    ]
    return _opd("BAPPEDA", name, K.BADAN, bidang, big=big)


def inspektorat(*, big: bool = False) -> UnitSpec:
    bidang = [
        adm(
            "Inspektur Pembantu Wilayah I",
            ahli("Auditor", L.AHLI_MUDA, degree="|S.E., Ak."),
            ahli("Auditor", L.AHLI_PERTAMA),
        ),
        adm(
            "Inspektur Pembantu Wilayah II",
            ahli("Pengawas Penyelenggaraan Urusan Pemerintahan Daerah", L.AHLI_MUDA),
            ahli("Auditor", L.AHLI_PERTAMA),
        ),
        adm("Inspektur Pembantu Wilayah III", ahli("Auditor", L.AHLI_MUDA)),
    ]
    return _opd("INSP", "Inspektorat", K.INSPEKTORAT, bidang, big=big, head="Inspektur")


def dpupr(name: str = "Dinas Pekerjaan Umum dan Penataan Ruang", *, big: bool = False) -> UnitSpec:
    bidang = [
        adm(
            "Kepala Bidang Bina Marga",
            pgw(
                "Kepala Seksi Pembangunan Jalan dan Jembatan",
                pel("Pengawas Lapangan", 2 if big else 1),
            ),
            ahli("Teknik Jalan dan Jembatan", L.AHLI_PERTAMA),
        ),
        adm(
            "Kepala Bidang Sumber Daya Air",
            ahli("Teknik Pengairan", L.AHLI_MUDA),
            trampil("Teknik Pengairan", L.TERAMPIL),
        ),
        adm(
            "Kepala Bidang Cipta Karya", ahli("Teknik Tata Bangunan dan Perumahan", L.AHLI_PERTAMA)
        ),
    ]
    return _opd("DPUPR", name, K.DINAS, bidang, big=big, field="teknik")


def kecamatan(
    code: str, name: str, kelurahan: list[str], *, big: bool = False, demo: bool = False
) -> list[UnitSpec]:
    """Camat and seksi; each kelurahan is a child unit whose lurah reports to the camat."""
    seksi = [
        pgw("Kepala Seksi Pemerintahan", pel("Penata Layanan Operasional")),
        pgw(
            "Kepala Seksi Pelayanan Umum",
            pel("Penata Layanan Operasional", 2 if demo else 1, demo=ASN if demo else ""),
            *([pel("Operator Layanan Operasional", pppk=1)] if big else []),
            demo=SUPERVISOR if demo else "",
        ),
    ]
    if big:
        seksi += [
            pgw("Kepala Seksi Ketenteraman dan Ketertiban Umum", pel("Pengelola Umum Operasional")),
            pgw("Kepala Seksi Pemberdayaan Masyarakat", pel("Pengolah Data dan Informasi")),
        ]
    camat = adm(
        f"Camat {name}", adm("Sekretaris Kecamatan", pel("Pengadministrasi Perkantoran")), *seksi
    )
    units = [UnitSpec(code, f"Kecamatan {name}", K.KECAMATAN, (camat,))]
    for i, kel in enumerate(kelurahan, start=1):
        staff = [pel("Pengadministrasi Perkantoran")]
        seksi = []
        if big:
            staff.append(pel("Operator Layanan Operasional", pppk=1))
            seksi.append(pgw("Kepala Seksi Pemerintahan dan Pelayanan Umum"))
        lurah = pgw(f"Lurah {kel}", pgw(f"Sekretaris Kelurahan {kel}", *staff), *seksi)
        units.append(UnitSpec(f"{code}.{i:02d}", f"Kelurahan {kel}", K.KELURAHAN, (lurah,), code))
    return units


# --- The four regions ------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionSpec:
    slug: str
    name: str
    kind: str
    province: str
    agency_name: str
    email_domain: str
    cultures: tuple[tuple[str, int], ...]  # name pools and their weights
    units: tuple[UnitSpec, ...]


def _tanjungbalai() -> RegionSpec:
    units = [
        *setda("Tanjungbalai"),
        bkpsdm("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
        *disdik("Tanjungbalai", ["SMP Negeri 1 Tanjungbalai"]),
        *dinkes(["Puskesmas Datuk Bandar", "Puskesmas Teluk Nibung"]),
        rsud("RSUD Dr. Tengku Mansyur"),
        disdukcapil(),
        dpmptsp(),
        bappeda(),
        inspektorat(),
        dpupr(),
        *kecamatan("KEC.DB", "Datuk Bandar", ["Pahang"]),
        *kecamatan("KEC.TBS", "Tanjungbalai Selatan", ["Perwira"]),
    ]
    return RegionSpec(
        "tanjungbalai",
        "Tanjungbalai",
        Region.Kind.KOTA,
        "Sumatera Utara",
        "BKPSDM Kota Tanjungbalai",
        "tanjungbalaikota.go.id",
        (("melayu", 5), ("batak", 4), ("jawa", 1)),
        tuple(units),
    )


def _semarang() -> RegionSpec:
    units = [
        *setda("Semarang", big=True),
        bkpsdm("BKPP", "Badan Kepegawaian, Pendidikan dan Pelatihan", big=True),
        *disdik("Semarang", ["SD Negeri Pekunden", "SMP Negeri 2 Semarang"], big=True),
        *dinkes(["Puskesmas Halmahera", "Puskesmas Pandanaran", "Puskesmas Srondol"], big=True),
        rsud("RSUD K.R.M.T. Wongsonegoro", big=True),
        disdukcapil(big=True),
        dpmptsp(big=True),
        bappeda(big=True),
        inspektorat(big=True),
        dpupr("Dinas Pekerjaan Umum", big=True),
        *kecamatan("KEC.SMT", "Semarang Tengah", ["Pekunden", "Sekayu"]),
        *kecamatan("KEC.BMK", "Banyumanik", ["Srondol Wetan", "Pudakpayung"]),
    ]
    return RegionSpec(
        "semarang",
        "Semarang",
        Region.Kind.KOTA,
        "Jawa Tengah",
        "BKPP Kota Semarang",
        "semarangkota.go.id",
        (("jawa", 9), ("melayu", 1)),
        tuple(units),
    )


def _binjai() -> RegionSpec:
    units = [
        *setda("Binjai"),
        bkpsdm("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
        *disdik("Binjai", ["SMP Negeri 1 Binjai"]),
        *dinkes(["Puskesmas Binjai Kota", "Puskesmas Tanah Tinggi"]),
        rsud("RSUD Dr. R.M. Djoelham"),
        disdukcapil(),
        dpmptsp(),
        bappeda(),
        inspektorat(),
        dpupr(),
    ]
    for code, name, kelurahan in [
        ("KEC.BK", "Binjai Kota", ["Kartini"]),
        ("KEC.BU", "Binjai Utara", ["Kebun Lada"]),
        ("KEC.BT", "Binjai Timur", ["Tanah Tinggi"]),
        ("KEC.BS", "Binjai Selatan", ["Rambung Barat"]),
        ("KEC.BB", "Binjai Barat", ["Limau Sundai"]),
    ]:
        units += kecamatan(code, name, kelurahan)
    return RegionSpec(
        "binjai",
        "Binjai",
        Region.Kind.KOTA,
        "Sumatera Utara",
        "BKPSDM Kota Binjai",
        "binjaikota.go.id",
        (("batak", 4), ("melayu", 3), ("jawa", 3)),
        tuple(units),
    )


def _plaju() -> RegionSpec:
    """A kecamatan of Palembang: the kecamatan, its seven kelurahan, its puskesmas, and the
    competency-development bidang of BKPSDM Kota Palembang that administers it."""
    kelurahan = [
        "Bagus Kuning",
        "Komperta",
        "Plaju Darat",
        "Plaju Ilir",
        "Plaju Ulu",
        "Talang Bubuk",
        "Talang Putri",
    ]
    units = [
        bkpsdm(
            "BKPSDM",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Palembang",
            only_development=True,
        ),
        *kecamatan("KEC.PLJ", "Plaju", kelurahan, big=True, demo=True),
        # Their heads report to Dinas Kesehatan Kota Palembang, which is outside this region.
        puskesmas("PKM.01", "UPTD Puskesmas Plaju", big=True),
        puskesmas("PKM.02", "UPTD Puskesmas Bagus Kuning"),
    ]
    return RegionSpec(
        "plaju",
        "Plaju",
        Region.Kind.KECAMATAN,
        "Sumatera Selatan",
        "BKPSDM Kota Palembang",
        "palembang.go.id",
        (("palembang", 7), ("jawa", 2), ("melayu", 1)),
        tuple(units),
    )


REGION_BUILDERS = (_tanjungbalai, _semarang, _binjai, _plaju)

# --- Names -----------------------------------------------------------------------------------

NAMES = {
    "jawa": {
        "L": (
            "Agus Bambang Budi Dwi Eko Hadi Joko Slamet Teguh Wahyu Yudi Hendro Sigit Bayu Arif "
            "Rudi Heru Adi Gunawan Anton Didik Sugeng Bagus Yoga Aditya",
            "Santoso Wibowo Prasetyo Susanto Nugroho Setiawan Hartono Purnomo Wijaya Kurniawan "
            "Widodo Suryadi Haryanto Saputro Raharjo Pamungkas Hidayat Sulistyo Utomo Budiman",
        ),
        "P": (
            "Sri Endang Dewi Wulan Retno Siti Tri Rini Yuni Ratna Ayu Nining Puji Ani Kartika "
            "Indah Dyah Fitri Eni Novita",
            "Rahayu Handayani Wulandari Astuti Lestari Pratiwi Susilowati Kusumawati Purwaningsih "
            "Ningsih Widyastuti Maryani Suryani Puspitasari Anggraeni Setyowati Wahyuningsih "
            "Kurniasih",
        ),
    },
    "batak": {
        "L": (
            "Roy Martin Hotman Parlindungan Ronald Benny Tigor Poltak Lamhot Sahat Darwin Jansen "
            "Bonar Marihot Togar Hasudungan Edward Freddy Syahrul Irwan Zulfikar Khairul",
            "Siregar Nasution Harahap Simanjuntak Sitorus Hutagalung Lubis Pohan Panjaitan Sinaga "
            "Tampubolon Situmorang Manurung Pardede Sembiring Ginting Tarigan Hasibuan Daulay "
            "Rangkuti Hutapea Simatupang Marpaung Napitupulu Silalahi",
        ),
        "P": (
            "Rosmawati Lusiana Rina Sondang Nurhayati Rotua Masniari Tiurma Erni Duma Juliana "
            "Tiarma Nurmala Rosdiana Lamria Sarma Yanti Maria Evi Desi",
            "Siregar Nasution Harahap Simanjuntak Sitorus Hutagalung Lubis Pohan Panjaitan Sinaga "
            "Tampubolon Situmorang Manurung Pardede Sembiring Ginting Tarigan Hasibuan Daulay "
            "Rangkuti Hutapea Simatupang Marpaung Napitupulu Silalahi",
        ),
    },
    "melayu": {
        "L": (
            "Muhammad Ahmad Syahrial Zulkifli Khairul Rizal Fadli Syafrizal Azhar Irwansyah "
            "Hendra Rahmat Taufik Amri Fauzan Ridho Faisal Zainuddin",
            "Syahputra Effendi Hidayat Ramadhan Saputra Fauzi Aminuddin Azmi Ridwan Iskandar "
            "Harun Yusuf Hamzah Rasyid Anwar Syahril",
        ),
        "P": (
            "Fitri Nurul Syarifah Aisyah Zuraida Halimah Mariani Yusnita Siti Rahma Nur Rosmaini "
            "Juliani Suryani Laila",
            "Rahmawati Hasanah Aini Safitri Wahyuni Fadhilah Ramadhani Zahara Khairunnisa "
            "Hayati Aryani Syahfitri Maulida",
        ),
    },
    "palembang": {
        "L": (
            "Ahmad Muhammad Herman Hendri Novri Rizki Feri Yudi Dedi Andi Erwin Firdaus Iwan "
            "Zainal Sulaiman Rahmat Hasan Husin Syamsul Yusuf",
            "Hanafi Saputra Ardiansyah Novriansyah Firmansyah Kurniawan Syahrial Rahman Hasbi "
            "Abidin Effendi Gunawan Darmawan Pratama Hidayatullah Febriansyah",
        ),
        "P": (
            "Dian Rika Desi Yulia Mega Lia Eka Reni Neni Novi Meli Yeni Siti Eli Ratih",
            "Puspita Oktaviani Safitri Anggraini Marlina Susanti Handayani Agustina Febrianti "
            "Yuliana Rosalina Herawati Permatasari Lestari Apriyanti",
        ),
    },
}
NAMES = {
    culture: {sex: tuple(part.split() for part in parts) for sex, parts in by_sex.items()}
    for culture, by_sex in NAMES.items()
}
PALEMBANG_PREFIX = {"L": ("Kms.", "Mgs.", "Kgs.", "Rd."), "P": ("Nyimas", "Nyayu")}

DEGREES = {
    # field -> (senior: JPT/administrator, middle: pengawas/ahli, junior: pelaksana/terampil)
    "umum": (
        ("|S.Sos., M.Si.", "|S.E., M.M.", "|S.H., M.H.", "|S.STP., M.Si.", "|S.IP., M.AP."),
        ("|S.Sos.", "|S.E.", "|S.H.", "|S.AP.", "|S.Kom.", "|S.IP.", "|S.Psi."),
        ("", "", "", "|A.Md.", "|S.E.", "|S.Kom."),
    ),
    "pendidikan": (
        ("|S.Pd., M.Pd.", "Dr.|M.Pd.", "|S.Sos., M.Si."),
        ("|S.Pd.", "|S.Pd.", "|S.Pd., M.Pd.", "|S.Si."),
        ("", "|A.Md.", "|S.Pd."),
    ),
    "kesehatan": (
        ("dr.|M.Kes.", "|S.K.M., M.Kes.", "dr.|M.M.R.S."),
        ("|S.K.M.", "|S.Kep., Ns.", "|S.K.M.", "|S.Gz."),
        ("", "|A.Md.", "|A.Md.Kes."),
    ),
    "teknik": (
        ("Ir.|M.T.", "|S.T., M.T.", "|S.T., M.Si."),
        ("|S.T.", "|S.T.", "|S.Si."),
        ("", "|A.Md.T.", "|S.T."),
    ),
}


def _seniority(post: Post) -> int:
    if post.ptype in (P.JPT_PRATAMA, P.ADMINISTRATOR) or post.level == L.AHLI_MADYA:
        return 0
    if post.ptype == P.PENGAWAS or post.level in (L.AHLI_MUDA, L.AHLI_PERTAMA, L.PENYELIA):
        return 1
    return 2


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower())


# --- Grades and NIPs -------------------------------------------------------------------------

GOLONGAN = {
    P.JPT_PRATAMA: (G.IV_C, G.IV_D),
    P.ADMINISTRATOR: (G.IV_A, G.IV_B),
    P.PENGAWAS: (G.III_C, G.III_D),
    P.PELAKSANA: (G.II_A, G.II_B, G.II_C, G.II_D, G.III_A, G.III_B),
    L.AHLI_PERTAMA: (G.III_A, G.III_B),
    L.AHLI_MUDA: (G.III_C, G.III_D),
    L.AHLI_MADYA: (G.IV_A, G.IV_B, G.IV_C),
    L.AHLI_UTAMA: (G.IV_D, G.IV_E),
    L.PEMULA: (G.II_A,),
    L.TERAMPIL: (G.II_B, G.II_C, G.II_D),
    L.MAHIR: (G.III_A, G.III_B),
    L.PENYELIA: (G.III_C, G.III_D),
}
# PPPK golongan I–XVII by jenjang (pelaksana PPPK are appointed at V).
PPPK_GRADE = {L.AHLI_PERTAMA: 9, L.AHLI_MUDA: 10, L.TERAMPIL: 7, L.MAHIR: 8, "": 5}
BIRTH_YEARS = {
    P.JPT_PRATAMA: (1967, 1975),
    P.ADMINISTRATOR: (1970, 1982),
    P.PENGAWAS: (1970, 1988),
    P.PELAKSANA: (1972, 2000),
    L.AHLI_PERTAMA: (1984, 1998),
    L.AHLI_MUDA: (1976, 1990),
    L.AHLI_MADYA: (1968, 1980),
    L.PEMULA: (1995, 2001),
    L.TERAMPIL: (1982, 1998),
    L.MAHIR: (1975, 1990),
    L.PENYELIA: (1970, 1982),
}
LATEST_APPOINTMENT_YEAR = 2024  # fixed, so the plan never depends on today's date
PPPK_CONTRACT_CODE = 21


# --- The plan --------------------------------------------------------------------------------


@dataclass
class PersonPlan:
    nip: str
    name: str
    email: str
    employment_type: str
    golongan: int | None
    pppk_grade: int | None
    position: str
    position_type: str
    functional_level: str
    unit_code: str
    supervisor_nip: str | None
    demo_role: str = ""


@dataclass
class RegionPlan:
    spec: RegionSpec
    units: list[UnitSpec]
    people: list[PersonPlan] = field(default_factory=list)

    def demo_people(self) -> list[PersonPlan]:
        order = [ADMIN, SUPERVISOR, ASN]
        chosen = [p for p in self.people if p.demo_role]
        return sorted(chosen, key=lambda p: order.index(p.demo_role))


class _Planner:
    def __init__(self, spec: RegionSpec, used_nips: set[str]):
        self.spec = spec
        self.rng = random.Random(f"kompetensi-demo:{spec.slug}")
        self.used_nips = used_nips
        self.used_emails: set[str] = set()
        self.demo_taken: set[str] = set()
        self.plan = RegionPlan(spec=spec, units=list(spec.units))
        self.heads: dict[tuple[str, str], str] = {}  # (unit code, post title) -> NIP of holder

    def run(self) -> RegionPlan:
        for unit in self.spec.units:
            boss = None
            if unit.parent and unit.report_to:
                boss = self.heads[(unit.parent, unit.report_to)]
            elif unit.parent:
                boss = self._root_holder(unit.parent)
            for post in unit.posts:
                self._fill(unit, post, boss)
        return self.plan

    def _root_holder(self, unit_code: str) -> str:
        unit = next(u for u in self.spec.units if u.code == unit_code)
        return self.heads[(unit_code, unit.posts[0].title)]

    def _fill(self, unit: UnitSpec, post: Post, boss: str | None) -> None:
        holders = []
        for i in range(post.count):
            pppk = i >= post.count - post.pppk
            demo = post.demo if i == 0 and post.demo not in self.demo_taken else ""
            if demo:
                self.demo_taken.add(demo)
                pppk = False
            person = self._person(unit, post, boss, pppk=pppk, demo=demo)
            self.plan.people.append(person)
            holders.append(person.nip)
        self.heads.setdefault((unit.code, post.title), holders[0])
        for sub in post.under:
            self._fill(unit, sub, holders[0])

    def _person(self, unit: UnitSpec, post: Post, boss, *, pppk: bool, demo: str) -> PersonPlan:
        rng = self.rng
        sex = nip_rules.FEMALE if rng.random() < post.female else nip_rules.MALE
        employment_type = nip_rules.PPPK if pppk else nip_rules.PNS
        key = post.level or post.ptype
        low, high = (1980, 1998) if pppk else BIRTH_YEARS[key]
        birth = dt.date(rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))
        if pppk:
            year, month = rng.choice((2021, 2022, 2023, 2024)), 1
        else:
            year = min(birth.year + rng.randint(22, 29), LATEST_APPOINTMENT_YEAR)
            month = rng.choice((1, 2, 3, 3, 4, 12))
        sequence = rng.randint(1, 4)
        while True:
            nip = nip_rules.build_nip(
                birth_date=birth,
                appointment_year=year,
                appointment_month=month,
                gender=sex,
                sequence=sequence,
                employment_type=employment_type,
                contract_code=PPPK_CONTRACT_CODE,
            )
            if nip not in self.used_nips:
                break
            sequence += 1
        self.used_nips.add(nip)
        golongan, degree = None, post.degree
        if not pppk and post.ptype == P.PELAKSANA:
            golongan, degree = self._pelaksana_grade(unit, year)
        elif not pppk:
            golongan = int(rng.choice(GOLONGAN[key]))
        name, email = self._name(unit, post, sex, degree)
        return PersonPlan(
            nip=nip,
            name=name,
            email=email,
            employment_type=employment_type,
            golongan=golongan,
            pppk_grade=PPPK_GRADE.get(post.level, 9) if pppk else None,
            position=post.title,
            position_type=post.ptype,
            functional_level=post.level,
            unit_code=unit.code,
            supervisor_nip=boss,
            demo_role=demo,
        )

    def _pelaksana_grade(self, unit: UnitSpec, appointed: int) -> tuple[int, str]:
        """Entry grade by schooling (SMA II/a, D-III II/c, S-1 III/a), a step every 4 years."""
        education = self.rng.choice(("sma", "d3", "s1"))
        entry = {"sma": 0, "d3": 2, "s1": 4}[education]
        steps = (LATEST_APPOINTMENT_YEAR + 2 - appointed) // 4
        ladder = GOLONGAN[P.PELAKSANA]
        golongan = ladder[min(entry + steps, len(ladder) - 1)]
        degree = {"sma": "", "d3": "|A.Md."}.get(education)
        if degree is None:
            degree = self.rng.choice(DEGREES[unit.field][1])
        return int(golongan), degree

    def _name(self, unit: UnitSpec, post: Post, sex: str, degree: str | None) -> tuple[str, str]:
        rng = self.rng
        cultures, weights = zip(*self.spec.cultures, strict=True)
        culture = rng.choices(cultures, weights)[0]
        givens, families = NAMES[culture][sex]
        given, family = rng.choice(givens), rng.choice(families)
        while family == given:
            family = rng.choice(families)
        seniority = _seniority(post)
        if degree is None:
            degree = rng.choice(DEGREES[unit.field][seniority])
        prefix, _, suffix = degree.partition("|")
        honorific = ""
        if culture == "palembang" and rng.random() < 0.2:
            honorific = rng.choice(PALEMBANG_PREFIX[sex])
        elif culture in ("melayu", "palembang", "jawa") and seniority == 0 and rng.random() < 0.3:
            honorific = "H." if sex == nip_rules.MALE else "Hj."
        parts = [prefix, honorific, given, family]
        name = " ".join(p for p in parts if p)
        if suffix:
            name = f"{name}, {suffix}"
        local = f"{_ascii(given)}.{_ascii(family)}"
        email, n = f"{local}@{self.spec.email_domain}", 1
        while email in self.used_emails:
            n += 1
            email = f"{local}{n}@{self.spec.email_domain}"
        self.used_emails.add(email)
        return name, email


def build_plans() -> list[RegionPlan]:
    """The demo regions as plain data; the same on every call."""
    used_nips: set[str] = set()
    return [_Planner(builder(), used_nips).run() for builder in REGION_BUILDERS]


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class LoadResult:
    region: Region
    regions_created: int = 0
    units_created: int = 0
    units_existing: int = 0
    employees_created: int = 0
    employees_existing: int = 0
    logins: list[dict] = field(default_factory=list)


def ensure_demo_password(user) -> None:
    """Give a demo login the known password, hashing only when it is not already set."""
    changed = False
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed = True
    if not user.is_active:
        user.is_active = True
        changed = True
    if changed:
        user.save(update_fields=["password", "is_active"])


def load_region(plan: RegionPlan) -> LoadResult:
    """Write one region's plan in one transaction; whatever exists already is left as it is."""
    spec = plan.spec
    with transaction.atomic():
        region = Region.objects.filter(slug=spec.slug).first()
        created = region is None
        if created:
            region = Region(
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                province=spec.province,
                agency_name=spec.agency_name,
            )
            region.full_clean()
            region.save()
        result = LoadResult(region=region, regions_created=int(created))
        with scope(region=region):
            units = {u.code: u for u in Unit.objects.filter(region=region)}
            for unit_spec in plan.units:
                if unit_spec.code in units:
                    result.units_existing += 1
                    continue
                units[unit_spec.code] = services.unit_create(
                    region=region,
                    code=unit_spec.code,
                    name=unit_spec.name,
                    kind=unit_spec.kind,
                    parent=units[unit_spec.parent] if unit_spec.parent else None,
                )
                result.units_created += 1

            nips = [p.nip for p in plan.people]
            with scopes_disabled():
                existing = {
                    e.nip: e for e in Employee.objects.filter(nip__in=nips).select_related("user")
                }
            foreign = [e.nip for e in existing.values() if e.region_id != region.id]
            if foreign:
                raise ValidationError(
                    f"Demo NIP {foreign[0]} already belongs to an employee of another region."
                )
            for person in plan.people:
                if person.nip in existing:
                    result.employees_existing += 1
                    continue
                existing[person.nip] = services.employee_create(
                    region=region,
                    nip=person.nip,
                    name=person.name,
                    email=person.email,
                    employment_type=person.employment_type,
                    golongan=person.golongan,
                    pppk_grade=person.pppk_grade,
                    position=person.position,
                    position_type=person.position_type,
                    functional_level=person.functional_level,
                    unit=units[person.unit_code],
                    supervisor=existing[person.supervisor_nip] if person.supervisor_nip else None,
                )
                result.employees_created += 1

            for person in plan.demo_people():
                employee = existing[person.nip]
                ensure_demo_password(employee.user)
                if person.demo_role == ADMIN:
                    services.membership_set_role(
                        region=region, user=employee.user, role=Membership.Role.ADMIN
                    )
                result.logins.append(
                    {
                        "region": region.name,
                        "role": DEMO_ROLE_LABELS[person.demo_role],
                        "login": employee.nip,
                        "name": employee.name,
                        "email": employee.user.email or "",
                        "password": DEMO_PASSWORD,
                    }
                )
    return result


def load_national_viewer() -> tuple[dict, bool]:
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=NATIONAL_VIEWER["username"],
            defaults={
                "email": NATIONAL_VIEWER["email"],
                "first_name": "Peninjau Nasional",
                "is_national_viewer": True,
            },
        )
        if not user.is_national_viewer:
            user.is_national_viewer = True
            user.save(update_fields=["is_national_viewer"])
        ensure_demo_password(user)
    login = {
        "region": "(semua wilayah)",
        "role": "Peninjau nasional",
        "login": user.username,
        "name": user.first_name,
        "email": user.email or "",
        "password": DEMO_PASSWORD,
    }
    return login, created

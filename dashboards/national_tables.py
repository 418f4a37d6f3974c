"""The national comparison as a table (shown, exported, and the alternative of its charts)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .sections import Chart, Column, NationalFigure, Table


def national_table(rows, figures: list[NationalFigure], *, year: int) -> Table:
    return Table(
        key="national",
        title=_("Perbandingan wilayah %(year)s") % {"year": year},
        columns=[
            Column("region", _("Wilayah")),
            Column("asn", _("ASN aktif"), "int"),
            Column("pns", _("PNS aktif"), "int"),
            Column("met_rate", _("% PNS memenuhi target"), "percent"),
            Column("mean_jp", _("Rata-rata JP PNS"), "decimal"),
            Column("participation", _("% ASN ikut pelatihan"), "percent"),
            Column("completion", _("% penyelesaian"), "percent"),
            Column("absorption", _("% serapan anggaran"), "percent"),
            *[Column(f.key, f.label, f.kind) for f in figures],
        ],
        rows=[
            (
                str(r.region),
                r.asn,
                r.pns,
                r.met_rate,
                r.mean_jp,
                r.participation_rate,
                r.completion_rate,
                r.absorption,
                *[r.extra.get(f.key) for f in figures],
            )
            for r in rows
        ],
    )


def national_charts(table: Table) -> list[Chart]:
    return [
        Chart(
            key="national_rates",
            title=_("PNS memenuhi target, partisipasi dan penyelesaian (%)"),
            table=table,
            series=(3, 5, 6),
            percent=True,
        ),
        Chart(
            key="national_jp",
            title=_("Rata-rata JP PNS per wilayah"),
            table=table,
            series=(4,),
        ),
    ]

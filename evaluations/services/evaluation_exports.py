"""The programme (or batch) evaluation report as XLSX and PDF, from
`evaluations.selectors.kirkpatrick.evaluation_report`. User text (programme titles, comments,
indicator names) goes through `kompetensi.spreadsheets.xlsx_text`."""

from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.spreadsheets import xlsx_text

from ..selectors.kirkpatrick import EvaluationReport


def _num(value):
    return None if value is None else float(value)


def report_xlsx(*, report: EvaluationReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)

    def sheet(title, header):
        ws = book.create_sheet(title)
        ws.append([xlsx_text(ws, h) for h in header])
        return ws

    ws = sheet(_("Ringkasan"), [_("Ukuran"), _("Nilai")])
    r, lrn, b = report.reaction, report.learning, report.behaviour
    for label, value in (
        (_("Program"), report.title),
        (_("Tahun"), report.year or ""),
        (_("Peserta diundang survei"), r.invited),
        (_("Jawaban survei"), r.responses),
        (_("Tingkat respons (%)"), _num(r.response_rate)),
        (_("Rata-rata survei (1–5)"), _num(r.overall_mean)),
        (_("Rata-rata relevansi (1–5)"), _num(r.relevance_mean)),
        (_("Kurang relevan"), _("Ya") if r.flagged else _("Tidak")),
        (_("Rata-rata pre-test"), _num(lrn.pre_mean)),
        (_("Rata-rata post-test"), _num(lrn.post_mean)),
        (_("Rata-rata kenaikan"), _num(lrn.gain_mean)),
        (_("Normalised gain"), _num(lrn.normalised_gain)),
        (_("Lulus post-test (%)"), _num(lrn.pass_rate)),
        (_("Evaluasi level 3 dibuat"), b.total),
        (_("Evaluasi level 3 diisi"), b.submitted),
        (_("Evaluasi level 3 terlambat"), b.overdue),
    ):
        ws.append(
            [xlsx_text(ws, label), value if not isinstance(value, str) else xlsx_text(ws, value)]
        )

    ws = sheet(
        _("Level 1"),
        [_("Bagian"), _("Butir"), _("Jawaban"), _("Rata-rata"), "1", "2", "3", "4", "5"],
    )
    for section in r.sections:
        for item in section.items:
            ws.append(
                [
                    xlsx_text(ws, section.label),
                    xlsx_text(ws, item.text),
                    item.answers,
                    _num(item.mean),
                    *item.distribution,
                ]
            )
    ws = sheet(_("Komentar"), [_("Bagian"), _("Pertanyaan"), _("Komentar")])
    for c in r.comments:
        ws.append(
            [
                xlsx_text(ws, c["item__section"]),
                xlsx_text(ws, c["item__text"]),
                xlsx_text(ws, c["text"]),
            ]
        )
    ws = sheet(
        _("Angkatan"),
        [
            _("Angkatan"),
            _("Mulai"),
            _("Jawaban survei"),
            _("Relevansi"),
            _("Kurang relevan"),
            _("Kenaikan"),
        ],
    )
    for row in report.batches:
        ws.append(
            [
                xlsx_text(ws, row["name"]),
                row["start_date"],
                row["responses"],
                _num(row["relevance_mean"]),
                xlsx_text(ws, _("Ya") if row["flagged"] else _("Tidak")),
                _num(row["gain_mean"]),
            ]
        )
    ws = sheet(_("Level 3"), [_("Butir"), _("Rata-rata")])
    for item in b.items:
        ws.append([xlsx_text(ws, str(item["label"])), _num(item["mean"])])
    ws = sheet(
        _("Level 4"),
        [
            _("Indikator"),
            _("Satuan"),
            _("Nilai awal"),
            _("Target"),
            _("Terakhir"),
            _("Tanggal"),
            _("Kemajuan (%)"),
        ],
    )
    for p in report.outcomes:
        ws.append(
            [
                xlsx_text(ws, p.indicator.name),
                xlsx_text(ws, p.indicator.unit),
                _num(p.indicator.baseline),
                _num(p.indicator.target),
                _num(p.latest_value),
                p.latest_on,
                _num(p.progress),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(*, report: EvaluationReport) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "evaluations/evaluation/report_pdf.html",
        {"report": report, "generated_at": timezone.now()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

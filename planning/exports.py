"""The plan as files: PDF (the official document shape, WeasyPrint, like the certificates and
monthly reports) and XLSX (openpyxl write-only; every user-typed cell through
`kompetensi.spreadsheets.xlsx_text`, so no text is run as a formula)."""

from __future__ import annotations

import datetime as dt
import io
from collections import OrderedDict

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kompetensi.spreadsheets import xlsx_text
from training.models import CompetencyType

from .models import Plan
from .selectors import plans as selectors


def plan_document(*, plan: Plan, today: dt.date) -> dict:
    """What both files show: items grouped by competency type, totals, realisation."""
    items = selectors.plan_items(plan=plan)
    realisation = selectors.plan_realisation(plan=plan, today=today, items=items)
    groups: OrderedDict = OrderedDict((value, []) for value, _label in CompetencyType.choices)
    for row in realisation.rows:
        groups.setdefault(row.item.competency.type, []).append(row)
    labels = dict(CompetencyType.choices)
    return {
        "plan": plan,
        "region": plan.region,
        "groups": [
            {
                "label": labels.get(key, key),
                "rows": rows,
                "budget": sum((r.item.budget for r in rows), 0),
                "participants": sum(r.item.target_count for r in rows),
            }
            for key, rows in groups.items()
            if rows
        ],
        "totals": selectors.plan_totals(plan=plan),
        "realisation": realisation,
        "today": today,
    }


def plan_pdf(*, plan: Plan, today: dt.date) -> bytes:
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("planning/plan_pdf.html", plan_document(plan=plan, today=today))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def plan_xlsx(*, plan: Plan, today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    doc = plan_document(plan=plan, today=today)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Rencana")[:31])
    bold = Font(bold=True)

    def header(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    sheet.append([xlsx_text(sheet, plan.region.agency_name)])
    sheet.append(
        [
            xlsx_text(
                sheet,
                _("Rencana Pengembangan Kompetensi ASN Tahun %(year)s") % {"year": plan.year}
                + (f" – {_('Perubahan ke-%(n)s') % {'n': plan.revision}}" if plan.revision else ""),
            )
        ]
    )
    sheet.append([xlsx_text(sheet, str(plan.get_status_display()))])
    sheet.append([])
    header(
        [
            _("Jenis kompetensi"), _("Kode"), _("Kompetensi"), _("Nama program"),
            _("Unit sasaran"), _("Sasaran"), _("Jumlah ASN"), _("Bentuk (SIASN)"),
            _("ID jenis diklat"), _("JP per peserta"), _("Penyelenggara"), _("Jadwal"),
            _("Kesesuaian kurikulum"), _("Anggaran (Rp)"), _("Sumber dana"),
            _("Peserta terealisasi"), _("JP terealisasi"), _("Anggaran terserap (Rp)"),
        ]
    )  # fmt: skip
    for group in doc["groups"]:
        for row in group["rows"]:
            item = row.item
            sheet.append(
                [
                    xlsx_text(sheet, group["label"]),
                    xlsx_text(sheet, item.competency.code),
                    xlsx_text(sheet, item.competency.name),
                    xlsx_text(sheet, item.title),
                    xlsx_text(sheet, item.unit.name if item.unit_id else _("Lintas unit")),
                    xlsx_text(sheet, item.target_description or item.get_target_type_display()),
                    item.target_count,
                    xlsx_text(sheet, item.form.name),
                    item.form_id,
                    item.jp,
                    xlsx_text(
                        sheet,
                        item.provider.name if item.provider_id else item.get_organiser_display(),
                    ),
                    xlsx_text(sheet, item.schedule_label),
                    xlsx_text(sheet, item.get_curriculum_fit_display()),
                    int(item.budget),
                    xlsx_text(sheet, item.get_funding_display()),
                    row.realisation.participants,
                    float(row.realisation.jp),
                    int(row.realisation.spent),
                ]
            )
    totals = doc["totals"]
    sheet.append([])
    header([_("Jumlah"), "", "", "", "", "", totals.total.participants, "", "", "", "", "", "",
            int(totals.total.budget)])  # fmt: skip
    sheet.append(
        [
            xlsx_text(sheet, _("Rata-rata JP direncanakan per PNS")),
            float(totals.jp_per_pns) if totals.jp_per_pns is not None else None,
            xlsx_text(sheet, _("Target JP per tahun")),
            totals.jp_target,
        ]
    )
    if plan.status in Plan.DECIDED_STATUSES:
        sheet.append(
            [
                xlsx_text(sheet, _("Disetujui oleh")),
                xlsx_text(sheet, f"{plan.approver_name} ({plan.approver_title})"),
                xlsx_text(sheet, plan.decided_at.strftime("%d-%m-%Y") if plan.decided_at else ""),
                xlsx_text(sheet, plan.decree_number),
            ]
        )
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()

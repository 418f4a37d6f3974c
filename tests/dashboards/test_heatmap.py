"""Integration: the team dashboard's competency-gap heat map (person × competency).

The expected matrix is worked out here from the standards and assessments the test creates
(required level − latest assessed level), never from the selectors under test."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from dashboards.selectors import people as people_selectors
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import assess, national, standard, technical

from .conftest import YEAR

pytestmark = pytest.mark.django_db

OLD, NEW = dt.date(YEAR - 1, 3, 1), dt.date(YEAR, 2, 1)


def team_url(region, name="team", **query):
    base = reverse(f"dashboards:{name}", kwargs={"region_slug": region.slug})
    return base + "?" + "&".join(f"{k}={v}" for k, v in {"tahun": YEAR, **query}.items())


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def gaps(world, region, other_region, other_unit):
    """Kepala Seksi's team (Agus, Citra, Dewi: pelaksana; Bambang: "Operator Layanan") against
    a pelaksana standard (M.01 3, M.02 2, TK.01 3) and a named one (M.03 2). Eko (not in the
    team) and Binjai's look-alike have big gaps that must never show."""
    m01, m02, m03 = national("M.01"), national("M.02"), national("M.03")
    tk = technical(region, "TK.01", "Pengelolaan Arsip Dinamis")
    required = {"pelaksana": {m01: 3, m02: 2, tk: 3}, "operator": {m03: 2}}
    standard(region, items=required["pelaksana"].items())
    standard(region, items=required["operator"].items(), position_name="Operator Layanan")
    with scopes_disabled():
        world.k1.position = "Operator Layanan"
        world.k1.save(update_fields=["position"])
    # (employee, competency, level, date): the latest assessment of each pair counts.
    assessments = [
        (world.p1, m01, 3, OLD),
        (world.p1, m01, 1, NEW),  # Agus: M.01 gap 2 (the older 3 no longer counts)
        (world.p1, m02, 2, NEW),  # 0
        (world.p1, tk, 4, NEW),  # −1 (above the standard)
        (world.p2, m01, 2, NEW),  # Citra: 1
        (world.p2, m02, 1, NEW),  # 1
        (world.p2, tk, 1, NEW),  # 2
        (world.k1, m03, 1, NEW),  # Bambang: 1 ; Dewi: nothing assessed
        (world.p1, m03, 1, NEW),  # not required of Agus: not a cell of his
        (world.p3, m01, 1, NEW),  # Eko is not in the team
    ]
    for employee, competency, level, on in assessments:
        assess(employee, competency, level, on=on)
    leak_tk = technical(other_region, "TK.09", "Rahasia Binjai")
    standard(other_region, items=[(leak_tk, 5)])
    with scopes_disabled():
        boss_b = EmployeeFactory(region=other_region, unit=other_unit, name="Kepala Binjai")
        world.leak.supervisor = boss_b
        world.leak.save(update_fields=["supervisor"])
    assess(world.leak, leak_tk, 1, on=NEW)

    latest = {}
    for employee, competency, level, _on in sorted(assessments, key=lambda a: a[3]):
        latest[(employee.pk, competency.pk)] = level
    team = [world.p1, world.p2, world.p4, world.k1]
    expected = {}
    for employee in team:
        items = required["operator" if employee is world.k1 else "pelaksana"]
        expected[employee.name] = {
            c.code: (
                None if (employee.pk, c.pk) not in latest else level - latest[employee.pk, c.pk]
            )
            for c, level in items.items()
        }
    return {
        "expected": expected,
        "codes": [m01, m02, m03, tk],
        "boss_b": boss_b,
        "tk": tk,
    }


def test_the_matrix_is_each_members_required_minus_assessed_level(region, world, gaps):
    expected = gaps["expected"]
    assert expected["Agus Salim"] == {"M.01": 2, "M.02": 0, "TK.01": -1}  # the arithmetic above
    with scope(region=region):
        matrix = people_selectors.team_gap_matrix(region=region, supervisor=world.boss)
    codes = [c.competency.code for c in matrix.columns]
    got = {
        row.employee.name: {
            code: cell.gap for code, cell in zip(codes, row.cells, strict=True) if cell.required
        }
        for row in matrix.rows
    }
    assert got == expected

    def positive(name):
        return [g for g in expected[name].values() if g is not None and g > 0]

    # Most gaps first (then the larger total): Citra 3 (4), Agus 1 (2), Bambang 1 (1), Dewi 0.
    by_need = sorted(expected, key=lambda n: (-len(positive(n)), -sum(positive(n)), n))
    assert [row.employee.name for row in matrix.rows] == by_need
    assert by_need == ["Citra Lestari", "Agus Salim", "Bambang PPPK", "Dewi Anggraini"]
    # Competencies with the most people with a gap first: M.01 (2), then TK.01 (1, total 2),
    # M.02 (1, total 1, required of 3), M.03 (1, total 1, required of 1).
    assert codes == ["M.01", "TK.01", "M.02", "M.03"]
    dewi = next(r for r in matrix.rows if r.employee.name == "Dewi Anggraini")
    assert dewi.unassessed == 3 and dewi.gap_count == 0
    assert [c.severity for c in dewi.cells] == ["unassessed", "unassessed", "unassessed", "none"]


def test_team_page_draws_the_heat_map_with_links_and_legend(client, region, world, gaps):
    client.force_login(world.boss.user)
    page = client.get(team_url(region)).content.decode()
    start = page.index('id="team-competency-gaps"')
    table = page[start : page.index("</table>", start)]
    assert "<caption" in table
    assert table.count('scope="col"') == 5 and table.count('scope="row"') == 4
    rows = re.findall(r'<tr data-member="(\d+)">', table)
    assert rows == [str(e.pk) for e in (world.p2, world.p1, world.k1, world.p4)]
    # Each cell writes its number (colour is never the only cue) in a severity class.
    citra = table[table.index(f'data-member="{world.p2.pk}"') :].split("</tr>")[0]
    assert re.findall(r'class="heat-cell heat-(\w+)"[^>]*>([^<]*)<', citra) == [
        ("low", "1"),
        ("medium", "2"),
        ("low", "1"),
        ("none", ""),
    ]
    agus = table[table.index(f'data-member="{world.p1.pk}"') :].split("</tr>")[0]
    assert re.findall(r'class="heat-cell heat-(\w+)"[^>]*>([^<]*)<', agus) == [
        ("medium", "2"),
        ("met", "-1"),
        ("met", "0"),
        ("none", ""),
    ]
    dewi = table[table.index(f'data-member="{world.p4.pk}"') :].split("</tr>")[0]
    assert dewi.count("heat-unassessed") == 3 and dewi.count(">belum dinilai</span>") == 3
    # Rows open the member's competency page; headers the catalogue filtered by competency.
    member_url = reverse(
        "training:team_member_competencies",
        kwargs={"region_slug": region.slug, "employee_pk": world.p2.pk},
    )
    assert f'href="{member_url}"' in citra
    catalogue = reverse("training:catalogue", kwargs={"region_slug": region.slug})
    assert f'href="{catalogue}?competency={gaps["tk"].pk}"' in table
    assert "kurang 3 level atau lebih" in page  # the legend
    for outsider in ("Eko Prasetyo", "Rahasia Binjai", "TK.09", "Admin Semarang"):
        assert outsider not in page
    # The linked pages answer the supervisor.
    assert client.get(member_url).status_code == 200
    assert client.get(f"{catalogue}?competency={gaps['tk'].pk}").status_code == 200


def test_columns_are_capped_with_a_note_and_the_export_has_them_all(
    client, region, world, gaps, monkeypatch
):
    monkeypatch.setattr(people_selectors, "HEATMAP_COLUMNS", 2)
    client.force_login(world.boss.user)
    page = client.get(team_url(region)).content.decode()
    start = page.index('id="team-competency-gaps"')
    table = page[start : page.index("</table>", start)]
    assert table.count('scope="col"') == 3  # the person + the two with most gaps
    assert "M.01" in table and "TK.01" in table and "M.03" not in table
    assert "2 kompetensi lain dengan kesenjangan lebih sedikit tidak ditampilkan" in page

    export = reverse("dashboards:export_team", kwargs={"region_slug": region.slug})
    response = client.get(f"{export}?tahun={YEAR}&tabel=team_competency_gaps&format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    header = rows[0]
    assert header[:4] == [
        "Nama",
        "Jabatan",
        "Kompetensi dengan kesenjangan",
        "Kompetensi belum dinilai",
    ]
    codes = [h.split(" ")[0] for h in header[4:]]
    assert codes == ["M.01", "TK.01", "M.02", "M.03"]
    expected = gaps["expected"]
    for row in rows[1:]:
        name, cells = row[0], dict(zip(codes, row[4:], strict=True))
        want = {
            code: (
                ""
                if code not in expected[name]
                else "belum dinilai"
                if expected[name][code] is None
                else str(expected[name][code])
            )
            for code in codes
        }
        assert cells == want, name
    assert [r[0] for r in rows[1:]] == [
        "Citra Lestari",
        "Agus Salim",
        "Bambang PPPK",
        "Dewi Anggraini",
    ]
    response = client.get(f"{export}?tahun={YEAR}&tabel=team_competency_gaps&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "Citra Lestari" and values[1][4:8] == (1, 2, 1, None)


def test_other_regions_supervisor_gets_404_and_sees_only_their_own_team(
    client, region, other_region, world, gaps
):
    boss_b = gaps["boss_b"]
    client.force_login(boss_b.user)
    assert client.get(team_url(region)).status_code == 404
    export = reverse("dashboards:export_team", kwargs={"region_slug": region.slug})
    assert client.get(f"{export}?tabel=team_competency_gaps&format=csv").status_code == 404
    page = client.get(team_url(other_region)).content.decode()
    assert "Rahasia Binjai" in page and "TK.09" in page
    for name in ("Agus Salim", "Citra Lestari", "M.01"):
        assert name not in page


def test_a_member_with_no_team_of_their_own_cannot_open_it(client, region, world, gaps):
    client.force_login(world.p1.user)
    assert client.get(team_url(region)).status_code == 403


def test_a_team_with_nothing_required_shows_a_note(client, region, world):
    with scopes_disabled():
        unit = UnitFactory(region=region)
        lead = EmployeeFactory(region=region, unit=unit, name="Ketua")
        EmployeeFactory(region=region, unit=unit, supervisor=lead, position_type="")
    client.force_login(lead.user)
    page = client.get(team_url(region)).content.decode()
    assert "Belum ada standar kompetensi yang berlaku untuk anggota tim Anda." in page
    assert 'id="team-competency-gaps"' not in page


# --- Colours -----------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_severity_colour_passes_wcag_contrast():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "dashboards.css").read_text()
    found = {}
    for name in ("met", "low", "medium", "high", "unassessed", "none"):
        rule = re.search(r"\.heat-" + name + r" \{([^}]*)\}", css).group(1)
        background = re.search(r"(?<![-\w])background-color: (#[0-9a-fA-F]{6})", rule).group(1)
        colour = re.search(r"(?<![-\w])color: (#[0-9a-fA-F]{6})", rule).group(1)
        assert f"--bs-table-bg: {background}" in rule and f"--bs-table-color: {colour}" in rule
        found[name] = contrast(background, colour)
    assert all(ratio >= 4.5 for ratio in found.values()), found
    assert len(set(found)) == 6

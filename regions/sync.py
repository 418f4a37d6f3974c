"""What the API's sync lists of this app show, and which changes must re-list a row.

Registered in `RegionsConfig.ready()`; the triggers themselves are `kompetensi.sync`.
Employees show their unit's code and name; units show their parent's code.
"""

from kompetensi.sync import Cascade, register_cascades, register_synced


def register() -> None:
    from .models import Employee, Tombstone, Unit

    register_synced(Unit, Employee, Tombstone)
    register_cascades(
        Cascade(
            name="unit_children",
            source="regions_unit",
            target="regions_unit",
            watch=("code",),
            target_ids="SELECT t.id FROM regions_unit t WHERE t.parent_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
        Cascade(
            name="unit_employees",
            source="regions_unit",
            target="regions_employee",
            watch=("code", "name"),
            target_ids="SELECT t.id FROM regions_employee t WHERE t.unit_id IN "
            "(SELECT s.id FROM {rows} s)",
        ),
    )

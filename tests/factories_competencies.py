"""Helpers for competency tests: national rows, technical competencies with levels, standards,
assessments and programmes that develop competencies (all created with scopes disabled)."""

import datetime as dt

from django_scopes import scopes_disabled

from training.models import (
    Competency,
    CompetencyLevel,
    EmployeeCompetency,
    Offering,
    PositionStandard,
    PositionStandardItem,
    Program,
)

from .factories_training import CompetencyFactory, OfferingFactory, ProgramFactory

MANAGERIAL_CODES = [f"M.0{n}" for n in range(1, 9)]


def national(code: str) -> Competency:
    """A national competency loaded by migration (M.01–M.08, SK.01)."""
    with scopes_disabled():
        return Competency.objects.get(region__isnull=True, code=code)


def technical(region, code: str, name: str | None = None, **kwargs) -> Competency:
    competency = CompetencyFactory(
        region=region, code=code, name=name or f"Teknis {code}", **kwargs
    )
    with scopes_disabled():
        for level in range(1, 6):
            CompetencyLevel.objects.create(
                competency=competency, level=level, description=f"{code} level {level}"
            )
    return competency


def standard(region, *, items=(), position_type="pelaksana", **kwargs) -> PositionStandard:
    """A position standard with items given as (competency, required level) pairs."""
    with scopes_disabled():
        result = PositionStandard.objects.create(
            region=region, position_type=position_type, **kwargs
        )
        for competency, level in items:
            PositionStandardItem.objects.create(
                region=region, standard=result, competency=competency, required_level=level
            )
    return result


def assess(employee, competency, level: int, *, on: dt.date | None = None, source="self"):
    with scopes_disabled():
        return EmployeeCompetency.objects.create(
            region=employee.region,
            employee=employee,
            competency=competency,
            level=level,
            source=source,
            assessed_on=on or dt.date(2025, 6, 1),
        )


def program_for(
    region,
    *competencies,
    status=Program.Status.PUBLISHED,
    offering_status=Offering.Status.OPEN,
    **kwargs,
) -> Program:
    """A programme developing `competencies`, with one offering in `offering_status`
    (None: no offering)."""
    program = ProgramFactory(region=region, status=status, **kwargs)
    with scopes_disabled():
        program.competencies.set(competencies)
    if offering_status is not None:
        OfferingFactory(region=region, program=program, status=offering_status)
    return program

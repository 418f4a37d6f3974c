"""Helpers for enrolment tests: many employees, fast (no password hashing)."""

from tests.factories import EmployeeFactory, UnitFactory, UserFactory


def quick_employee(region, unit=None, **kwargs):
    """An employee with a login whose password is unusable (argon2 would cost ~0.3 s each)."""
    unit = unit or UnitFactory(region=region)
    return EmployeeFactory(region=region, unit=unit, user=UserFactory(password=None), **kwargs)


def quick_employees(region, n, unit=None, **kwargs):
    unit = unit or UnitFactory(region=region)
    return [quick_employee(region, unit=unit, **kwargs) for _ in range(n)]

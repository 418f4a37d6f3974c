"""Field validation shared by services that check everything before they write."""

from django.core.exceptions import ValidationError


class FieldErrors:
    """Collects field errors so the admin sees every problem at once, then raises them."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def full_clean_fields(obj, exclude: list[str]) -> None:
    """The model's field validation (types, lengths, validators) without the uniqueness and
    constraint checks, which the services do themselves with a clear message."""
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)

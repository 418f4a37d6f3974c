"""Template filters of the course pages."""

from django import template
from django.utils.safestring import mark_safe

from training.sanitize import sanitize_html

register = template.Library()


@register.filter
def sanitized(value: str) -> str:
    """Lesson rich text, cleaned again by the allow-list at render time (it is cleaned when
    saved too): only the sanitiser's output is marked safe, never the stored text itself."""
    return mark_safe(sanitize_html(value or ""))  # noqa: S308 - nh3 allow-list output

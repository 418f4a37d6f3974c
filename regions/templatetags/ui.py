"""Template helpers for rendering forms with Bootstrap classes, whatever form they come from."""

from django import template

register = template.Library()

SELECT_WIDGETS = {"select", "selectmultiple", "nullbooleanselect"}


@register.filter
def bs_widget(field):
    """Render a bound field's widget with the Bootstrap class that fits it."""
    widget_type = field.widget_type
    if widget_type in SELECT_WIDGETS:
        css = "form-select"
    elif widget_type in {"checkbox", "radioselect", "checkboxselectmultiple"}:
        return field.as_widget()
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": f"{css} {field.field.widget.attrs.get('class', '')}".strip()}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)

"""Panels other apps add to training's admin pages (the evaluation app shows a programme's
relevance flag, a batch's evaluation and the speakers' ratings).

training renders the pages and knows nothing of the apps built on it: an app registers a
panel in its `AppConfig.ready()`:

    register_panel("program_detail", render_relevance)

where `render(*, request, obj) -> str | None` returns HTML rendered from a template
(`render_to_string`, so user data is escaped) or None to show nothing. Pages and the object
they pass: `program_detail` (the Program), `offering_detail` (the Offering), `speaker_list`
(None). Panels render in registration order.
"""

from collections.abc import Callable

PAGES = ("program_detail", "offering_detail", "speaker_list")

_registry: dict[str, list[Callable]] = {page: [] for page in PAGES}


def register_panel(page: str, render: Callable[..., str | None]) -> None:
    if page not in _registry:
        raise ValueError(f"unknown page {page!r} for a panel")
    if render not in _registry[page]:
        _registry[page].append(render)


def render_panels(page: str, *, request, obj=None) -> list[str]:
    """The HTML of the page's panels (skipping those that return nothing)."""
    return [html for render in _registry[page] if (html := render(request=request, obj=obj))]

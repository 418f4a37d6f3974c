"""Rich text of text lessons: an allow-list sanitiser (nh3, the Rust `ammonia` library).

Whatever the browser editor sends is cleaned before it is stored, and only what is stored is
ever rendered: no script or style element, no event handler attribute (`on*`), no `style`
attribute, no `javascript:`/`data:` URL gets through. Links get `rel="noopener noreferrer"`.
"""

import nh3

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "pre", "code", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "span", "div",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value: str) -> str:
    """The allowed subset of `value` (an HTML fragment)."""
    return nh3.clean(
        value or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_is_empty(value: str) -> bool:
    """True when the cleaned HTML has no visible text and no image."""
    text = nh3.clean(value or "", tags=set()).strip()
    return not text and "<img" not in (value or "")

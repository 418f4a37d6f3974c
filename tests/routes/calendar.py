"""Region routes of the ASN's calendar download."""

ROUTES = {
    "training:my_calendar": lambda leak: {},
}

"""Region routes of the API client admin pages."""

from django_scopes import scopes_disabled


def build_leak(leak):
    if not hasattr(leak, "api_client"):
        from regions.api_clients import api_client_create

        with scopes_disabled():
            leak.api_client = api_client_create(
                region=leak.region, name="Klien Rahasia Binjai", scopes=["read"]
            ).client


ROUTES = {
    "api_clients:list": lambda leak: {},
    "api_clients:create": lambda leak: {},
    "api_clients:rotate": lambda leak: {"pk": leak.api_client.pk},
    "api_clients:revoke": lambda leak: {"pk": leak.api_client.pk},
}

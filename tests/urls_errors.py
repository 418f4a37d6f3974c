"""The portal's URLs plus two views that fail, for tests/test_error_pages.py."""

from django.db import OperationalError
from django.urls import path

from kompetensi.urls import handler500  # noqa: F401 (the handler under test)
from kompetensi.urls import urlpatterns as portal


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


def bug(request):
    raise ZeroDivisionError("a bug")


urlpatterns = [
    path("uji/basis-data-mati/", database_down),
    path("uji/galat/", bug),
    path("api/uji/basis-data-mati/", database_down),
    *portal,
]

"""Error responses in the portal's layout (templates/400.html … 503.html).

A database that cannot be reached is not a bug of the page: it answers 503 with
`Retry-After`, so people (and load balancers) know to come back, instead of a 500.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30  # the same in kompetensi.api.errors
UNAVAILABLE = (OperationalError, InterfaceError)


def unavailable(request=None):
    from django.http import HttpResponse

    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: 503 when the database is down (the exception being handled), else 500.
    Under /api/ the 503 is the API's JSON error `service_unavailable`."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        if request is not None and request.path_info.startswith("/api/"):
            from kompetensi.api.errors import service_unavailable_response

            return service_unavailable_response()
        return unavailable(request)
    return django_server_error(request, template_name)

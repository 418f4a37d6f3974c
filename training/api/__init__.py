"""REST API v1 of the training app, one module per resource.

- `enrolments`: enrolments (list, one, enrolling by NIP)
- `programmes`: catalogue programmes
- `offerings`: offerings with their sessions and seats
- `records`: development records (the JP ledger)
- `siasn`: verified records in SIASN's shapes, JSON pages or CSV

Lists are built from `.values_list()` of flat columns (joins in the query) and rendered with
orjson; the serializers in these modules only *document* the shapes for the OpenAPI schema,
they never run on the hot path. Every view subclasses `regions.api_auth.RegionResourceView`,
so every query runs inside the client's region scope. The list filters are selectors
(`training.selectors.filters`); the SIASN mapping is a service (`training.services.siasn`).
The URL conf (`kompetensi/api/urls.py`) takes the views from here.
"""

from .enrolments import EnrolmentDetailView, EnrolmentListView
from .offerings import OfferingDetailView, OfferingListView
from .programmes import ProgrammeDetailView, ProgrammeListView
from .records import DevelopmentRecordDetailView, DevelopmentRecordListView
from .siasn import SiasnExportView

__all__ = [
    "DevelopmentRecordDetailView",
    "DevelopmentRecordListView",
    "EnrolmentDetailView",
    "EnrolmentListView",
    "OfferingDetailView",
    "OfferingListView",
    "ProgrammeDetailView",
    "ProgrammeListView",
    "SiasnExportView",
]

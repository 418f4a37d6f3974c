"""Region routes of issue 14: the audit trail, personal-data downloads, anonymisation."""

from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from regions import audit
from regions.models import PersonalDataExport


def build_leak(leak):
    with scopes_disabled():
        if not hasattr(leak, "personal_export"):
            export = PersonalDataExport(
                region=leak.region, employee=leak.employee, status=PersonalDataExport.Status.DONE
            )
            export.file.save("data.zip", ContentFile(b"PK rahasia"), save=False)
            export.save()
            leak.personal_export = export
        if not hasattr(leak, "audit_event"):
            leak.audit_event = audit.record(
                action=audit.Action.UPDATE,
                obj=leak.employee,
                changes={"name": ["Rahasia Binjai lama", "Rahasia Binjai baru"]},
            )


ROUTES = {
    "region:audit_list": lambda leak: {},
    "region:audit_export": lambda leak: {},
    "region:employee_anonymise": lambda leak: {"pk": leak.employee.pk},
    "region:my_data": lambda leak: {},
    "region:my_data_download": lambda leak: {"pk": leak.personal_export.pk},
}

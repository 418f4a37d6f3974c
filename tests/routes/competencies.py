"""Region routes of the competency, position-standard, partner and speaker pages."""

from regions.models import PositionType
from tests.factories.training import CompetencyFactory, ProviderFactory, SpeakerFactory
from training.models import EmployeeCompetency, PositionStandard, PositionStandardItem


def build_leak(leak):
    if not hasattr(leak, "competency"):
        leak.competency = CompetencyFactory(
            region=leak.region, code="T.RAHASIA", name="Rahasia Binjai teknis"
        )
    if not hasattr(leak, "standard"):
        leak.standard = PositionStandard.objects.create(
            region=leak.region,
            position_type=PositionType.PELAKSANA,
            position_name="Rahasia Binjai jabatan",
        )
    if not hasattr(leak, "standard_item"):
        leak.standard_item = PositionStandardItem.objects.create(
            region=leak.region,
            standard=leak.standard,
            competency=leak.competency,
            required_level=3,
        )
    if not hasattr(leak, "provider"):
        leak.provider = ProviderFactory(region=leak.region, name="Rahasia Binjai mitra")
    if not hasattr(leak, "speaker"):
        leak.speaker = SpeakerFactory(
            region=leak.region, name="Rahasia Binjai narasumber", provider=leak.provider
        )
    if not hasattr(leak, "employee_competency"):
        leak.employee_competency = EmployeeCompetency.objects.create(
            region=leak.region,
            employee=leak.employee,
            competency=leak.competency,
            level=2,
            source=EmployeeCompetency.Source.SELF,
            assessed_on="2025-01-01",
        )


ROUTES = {
    "training:competency_list": lambda leak: {},
    "training:competency_create": lambda leak: {},
    "training:competency_detail": lambda leak: {"pk": leak.competency.pk},
    "training:competency_edit": lambda leak: {"pk": leak.competency.pk},
    "training:competency_toggle": lambda leak: {"pk": leak.competency.pk},
    "training:competency_delete": lambda leak: {"pk": leak.competency.pk},
    "training:standard_list": lambda leak: {},
    "training:standard_create": lambda leak: {},
    "training:standard_detail": lambda leak: {"pk": leak.standard.pk},
    "training:standard_edit": lambda leak: {"pk": leak.standard.pk},
    "training:standard_delete": lambda leak: {"pk": leak.standard.pk},
    "training:standard_item_delete": lambda leak: {
        "pk": leak.standard.pk,
        "item_pk": leak.standard_item.pk,
    },
    "training:assessment_overview": lambda leak: {},
    "training:assessment_import": lambda leak: {},
    "training:employee_competencies": lambda leak: {"employee_pk": leak.employee.pk},
    "training:my_competencies": lambda leak: {},
    "training:team_member_competencies": lambda leak: {"employee_pk": leak.employee.pk},
    "training:provider_list": lambda leak: {},
    "training:provider_create": lambda leak: {},
    "training:provider_detail": lambda leak: {"pk": leak.provider.pk},
    "training:provider_edit": lambda leak: {"pk": leak.provider.pk},
    "training:provider_toggle": lambda leak: {"pk": leak.provider.pk},
    "training:speaker_list": lambda leak: {},
    "training:speaker_create": lambda leak: {},
    "training:speaker_edit": lambda leak: {"pk": leak.speaker.pk},
    "training:speaker_toggle": lambda leak: {"pk": leak.speaker.pk},
}

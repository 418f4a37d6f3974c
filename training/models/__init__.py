from .catalogue import (
    DeliveryMode,
    DevelopmentForm,
    Offering,
    OfferingUnitQuota,
    Program,
    Provider,
    Session,
    Speaker,
)
from .competencies import (
    Competency,
    CompetencyLevel,
    CompetencyType,
    EmployeeCompetency,
    PositionStandard,
    PositionStandardItem,
)
from .enrolment import Attendance, Enrolment
from .records import (
    DevelopmentPlan,
    DevelopmentPlanItem,
    DevelopmentRecord,
    HistoryEvent,
)

__all__ = [
    "Attendance",
    "Competency",
    "CompetencyLevel",
    "CompetencyType",
    "DeliveryMode",
    "DevelopmentForm",
    "DevelopmentPlan",
    "DevelopmentPlanItem",
    "DevelopmentRecord",
    "EmployeeCompetency",
    "Enrolment",
    "HistoryEvent",
    "Offering",
    "OfferingUnitQuota",
    "PositionStandard",
    "PositionStandardItem",
    "Program",
    "Provider",
    "Session",
    "Speaker",
]

"""Training's widgets on the region home (regions.home sections, registered in
TrainingConfig.ready()): JP progress, upcoming sessions, recommendations and approvals waiting
for employees; work waiting and "new programme" for admins."""

from regions.home import HomeSection

from ..selectors.courses import continue_learning
from ..selectors.home import home_summary


def home_context(request) -> dict:
    """`home`: the training summary of the region home, for employees and admins."""
    access = request.access
    if access.employee is None and not access.is_admin:
        return {}
    return {"home": home_summary(access=access)}


def learning_context(request) -> dict:
    """`learning`: the batches whose course the employee is working through."""
    employee = request.access.employee
    if employee is None:
        return {}
    return {"learning": continue_learning(employee=employee)}


HOME_SECTIONS = (
    HomeSection(
        key="training.learning",
        slot="main",
        template="training/home/_learning.html",
        context=learning_context,
    ),
    HomeSection(
        key="training.employee",
        slot="main",
        template="training/home/_employee.html",
        context=home_context,
    ),
    HomeSection(
        key="training.work_waiting",
        slot="admin",
        template="training/home/_work_waiting.html",
        context=home_context,
    ),
    HomeSection(
        key="training.admin_actions",
        slot="admin_actions",
        template="training/home/_admin_actions.html",
    ),
)

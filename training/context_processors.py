from django.utils.functional import SimpleLazyObject

from training.selectors.enrolment import approvals_pending_count


def training_counts(request):
    """Counts shown in the navigation, computed only when a template reads them."""
    access = getattr(request, "access", None)
    if access is None or not access.is_supervisor:
        return {}
    return {
        "pending_approvals": SimpleLazyObject(
            lambda: approvals_pending_count(supervisor=access.employee)
        )
    }

"""Background upkeep of the points cache."""

from celery import shared_task

from .services import reconcile_balances


@shared_task
def reconcile_points_balances() -> int:
    """Nightly: repair cached balances that drifted from the ledger; returns
    how many were repaired."""
    return reconcile_balances().repaired

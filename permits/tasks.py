"""Celery tasks of permits: they take ids and call a service."""

from celery import shared_task


@shared_task(name="permits.sign_permit_version", acks_late=True)
def sign_permit_version(version_id: int) -> bool:
    from permits.services import permit_sign_version

    return permit_sign_version(version_id=version_id)

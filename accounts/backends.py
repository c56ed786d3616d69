from django.contrib.auth.backends import ModelBackend


class AccessRightBackend(ModelBackend):
    """Password login for users whose access right is active: a blocked (HA-10) or revoked
    (HA-12) user cannot log in, whatever their password."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.has_active_access

"""The account pages, by sub-domain (issue 18: no module over ~500 lines). The names the URLs
and settings use (``accounts.views.lockout_response``) are re-exported here.

- ``session``: sign-in, lockout, dashboard, password change;
- ``registration``: the public registration wizard and status page;
- ``officers``: the officers' registration list, detail and actions;
- ``credentials``: set-password link, lost credentials, password reset, access holders.
"""

from accounts.views.credentials import (  # noqa: F401
    PasswordResetConfirmView,
    PasswordResetView,
    access_holders,
    lost_credentials,
    password_reset,
    password_reset_complete,
    password_reset_confirm,
    password_reset_done,
    set_password,
    set_password_resend,
    user_revoke,
)
from accounts.views.officers import (  # noqa: F401
    registration_assign_verifier,
    registration_decide,
    registration_detail,
    registration_field_result,
    registration_file,
    registration_list,
    registration_validate,
)
from accounts.views.registration import (  # noqa: F401
    register,
    registration_done,
    registration_status,
    registration_status_document,
)
from accounts.views.session import (  # noqa: F401
    LoginView,
    _PasswordChangeForm,
    dashboard,
    lockout_response,
    password_change,
    too_many_requests,
)

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import LoginForm

urlpatterns = [
    path("login/", views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # HA-01…HA-05: registration (public)
    path("register/", views.register, name="register"),
    path("register/done/<str:key>/", views.registration_done, name="registration_done"),
    path("registration/<str:key>/", views.registration_status, name="registration_status"),
    path("registration/<str:key>/document.pdf", views.registration_status_document, name="registration_status_document"),
    # HA-06, HA-07: officers
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/validate/", views.registration_validate, name="registration_validate"),
    path("registrations/<int:pk>/field-verification/", views.registration_assign_verifier, name="registration_assign_verifier"),
    path("registrations/<int:pk>/field-verification/result/", views.registration_field_result, name="registration_field_result"),
    path("registrations/<int:pk>/decide/", views.registration_decide, name="registration_decide"),
    path("registrations/<int:pk>/files/<str:kind>/", views.registration_file, name="registration_file"),
    # HA-08, HA-10, HA-12
    path("set-password/resend/", views.set_password_resend, name="set_password_resend"),
    path("set-password/<str:token>/", views.set_password, name="set_password"),
    path("lost-credentials/", views.lost_credentials, name="lost_credentials"),
    # HA-10: a password reset by e-mail (Django's views; throttled; no user enumeration)
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("access-holders/", views.access_holders, name="access_holders"),
    path("access-holders/<int:pk>/revoke/", views.user_revoke, name="user_revoke"),
]

from django.urls import path

from accounts import apis

urlpatterns = [
    path("auth/token", apis.TokenApi.as_view(), name="api-auth-token"),
    path("me", apis.MeApi.as_view(), name="api-me"),
]

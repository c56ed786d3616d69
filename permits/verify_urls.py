"""Public verification pages, mounted at /verify/ (DOC-04); the QR code opens /verify/<number>."""

from django.urls import path

from permits import views

urlpatterns = [
    path("", views.verify, name="permit-verify"),
    path("<path:number>", views.verify_number, name="permit-verify-number"),
]

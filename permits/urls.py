from django.urls import path

from permits import views

urlpatterns = [
    path("", views.permit_list, name="permit-list"),
    path("<path:number>/pdf", views.permit_pdf, name="permit-pdf"),
    path("<path:number>/signing", views.permit_signing, name="permit-signing"),
    path("<path:number>/signing/retry", views.permit_signing_retry, name="permit-signing-retry"),
    path("<path:number>/signing-status", views.permit_signing_progress, name="permit-signing-status"),
]

from django.urls import path

from permits import views

urlpatterns = [
    path("", views.permit_list, name="permit-list"),
    path("<path:number>/pdf", views.permit_pdf, name="permit-pdf"),
    path("<path:number>/signing-status", views.permit_signing_status, name="permit-signing-status"),
]

"""HTML pages of permits: public verification (DOC-04), the holder's and officers' list, and
the signed PDF download (holder and officers only, logged)."""

from django import forms
from django.contrib import messages
from inatrade.pagination import CappedPaginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import OFFICER_ROLES, Role
from accounts.permissions import role_required
from inatrade.errors import DomainError
from inatrade.files import UploadRefused, serve_private, validate_pdf_upload
from inatrade.text import is_digits
from inatrade.throttling import client_address, rate_exceeded
from permits import selectors, services
from permits.apis import _filename
from permits.models import Permit

ALL_SIGNED_IN = tuple(Role.values)


class NumberForm(forms.Form):
    number = forms.CharField(label=_("Nomor perizinan"), max_length=80)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas PDF perizinan"))


def _throttled(request) -> bool:
    """The verify pages share the API's "verify" rate, per client address as DRF keys it
    (X-Forwarded-For only behind NUM_PROXIES trusted proxies: inatrade/throttling.py)."""
    return rate_exceeded("verify", client_address(request))


def _too_many(request):
    return render(request, "permits/verify.html", {"throttled": True, "form": NumberForm(), "upload_form": UploadForm()}, status=429)


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: enter a number, or upload a PDF to check it."""
    form, upload_form, result, verdict = NumberForm(request.GET or None), UploadForm(), None, None
    if request.method == "POST":
        if _throttled(request):
            return _too_many(request)
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                pdf = validate_pdf_upload(upload_form.cleaned_data["file"], label=_("Berkas yang diunggah"))
            except UploadRefused as exc:
                if exc.code == "unsupported_file_type":
                    upload_form.add_error("file", _(
                        "Berkas ini bukan PDF (misalnya foto atau gambar pindaian). Unggah berkas PDF perizinan "
                        "persis seperti yang diterima dari INATRADE, atau cek dengan nomor perizinan."))
                else:
                    upload_form.add_error("file", exc.messages[0])
            else:
                result = selectors.verify_pdf(pdf=pdf)
                verdict = selectors.verification_verdict(
                    status=result.status, issued_here=result.issued_here,
                    signature_intact=result.signature_intact, current=result.current,
                )
    elif form.is_valid():
        return redirect(reverse("permit-verify-number", kwargs={"number": form.cleaned_data["number"].strip()}))
    return render(
        request, "permits/verify.html",
        {"form": form or NumberForm(), "upload_form": upload_form, "result": result, "verdict": verdict},
        status=400 if upload_form.errors else 200,
    )


def verify_number(request, number: str):
    """Public: what the QR code opens."""
    if _throttled(request):
        return _too_many(request)
    data = selectors.permit_public(number=number)
    return render(
        request, "permits/verify_number.html",
        {
            "permit": data, "number": number, "form": NumberForm(), "upload_form": UploadForm(),
            "verdict": selectors.verification_verdict(status=data["status"]) if data else None,
        },
        status=200 if data else 404,
    )


@role_required(*ALL_SIGNED_IN)
def permit_list(request):
    # PERF-02: one page at a time, whatever the number of permits.
    permits = CappedPaginator(selectors.permits_for_user(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "permits/list.html", {"permits": permits})


@role_required(*ALL_SIGNED_IN)
def permit_signing_progress(request, number: str):
    """A small JSON answer for pages waiting for a signature (issue 17: the page said "reload
    later" and never updated itself). Same access as the PDF (404 for anyone else)."""
    permit = get_object_or_404(Permit.objects.select_related("current_version"), number=number)
    if not services.permit_can_download(permit=permit, user=request.user):
        raise Http404
    status = selectors.permit_signing_status(permit=permit)
    response = JsonResponse({key: status[key] for key in selectors.SIGNING_PUBLIC_KEYS})
    response["Cache-Control"] = "no-store"
    return response


@role_required(*ALL_SIGNED_IN)
def permit_pdf(request, number: str):
    permit = get_object_or_404(Permit, number=number)
    version = None
    if is_digits(request.GET.get("version", "")):
        version = permit.versions.filter(version_no=int(request.GET["version"])).first()
        if version is None:
            raise Http404
    try:
        version = services.permit_download(permit=permit, user=request.user, version=version, channel="web")
    except services.PermitNotFound as exc:
        raise Http404 from exc
    return serve_private(version.pdf_path, filename=_filename(permit, version))


@role_required(*OFFICER_ROLES)
def permit_signing(request, number: str):
    """Officers: the signing of a permit awaiting signature, with the last error and a retry
    button (REL-06: a failed signing is visible, not silent)."""
    permit = get_object_or_404(selectors.permits_for_user(user=request.user), number=number)
    return render(request, "permits/signing.html", {
        "permit": permit, "signing": selectors.permit_signing_status(permit=permit),
        "can_retry": request.user.role in services.SIGNING_RETRY_ROLES,
    })


@require_POST
@role_required(*services.SIGNING_RETRY_ROLES)
def permit_signing_retry(request, number: str):
    permit = get_object_or_404(selectors.permits_for_user(user=request.user), number=number)
    status = selectors.permit_signing_status(permit=permit)
    if not status["awaiting_signature"]:
        messages.error(request, _("Versi ini tidak menunggu tanda tangan."))
    else:
        try:
            services.permit_signing_retry(version=status["version_obj"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Penandatanganan diantrekan ulang."))
    return redirect("permit-signing", number=permit.number)

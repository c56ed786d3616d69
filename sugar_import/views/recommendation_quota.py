"""Pages of Rekomendasi / Surat penugasan (PI-03) and rakor quotas (PI-05)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Company, Role
from accounts.permissions import role_required
from inatrade.audit import timeline_for
from inatrade.errors import DomainError
from inatrade.files import UploadRefused
from inatrade.pagination import CappedPaginator
from sugar_import import selectors, services
from sugar_import.forms import (
    ImporterRecommendationForm,
    QuotaForm,
    ReasonForm,
    RecommendationForm,
)
from sugar_import.selectors import SUGAR_OFFICER_ROLES
from sugar_import.views.common import refused, refused_on_form


@role_required(Role.AGENCY, *SUGAR_OFFICER_ROLES, Role.IMPORTER)
def recommendations(request):
    """PI-03: agencies record Rekomendasi / Surat penugasan and see how much of each is used;
    an importer records one from the signed PDF it holds."""
    user = request.user
    form = None
    if user.role == Role.AGENCY:
        form = RecommendationForm(request.POST or None)
    elif user.role == Role.IMPORTER:
        form = ImporterRecommendationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            company = user.company if user.role == Role.IMPORTER else Company.objects.filter(nib=data["company_nib"]).first()
            if company is None:
                form.add_error("company_nib", _("Perusahaan dengan NIB ini tidak ditemukan."))
            else:
                try:
                    services.recommendation_record(
                        actor=user, company=company, kind=data["kind"], issuer=data["issuer"], number=data["number"],
                        date=data["date"], sugar_type=data["sugar_type"], volume_tonnes=data["volume_tonnes"],
                        hs_codes=[h.strip() for h in data["hs_codes"].split(",") if h.strip()],
                        origin_countries=[c.code for c in data["origin_countries"]], ports=[p.code for p in data["ports"]],
                        valid_from=data["valid_from"], valid_until=data["valid_until"], upload=data.get("file"),
                    )
                except DomainError as exc:
                    refused(request, exc)
                except UploadRefused as exc:
                    form.add_error("file", exc.messages[0])
                else:
                    messages.success(request, _("Rekomendasi dicatat.") if user.role == Role.AGENCY else _(
                        "Rekomendasi dicatat dan menunggu verifikasi petugas terhadap PDF bertanda tangan; "
                        "permohonan dapat memakainya setelah terverifikasi."))
                    return redirect("sugar-recommendations")
    items = CappedPaginator(selectors.recommendation_list(user=user).order_by("-date", "-pk"), 25).get_page(request.GET.get("page"))
    return render(request, "sugar_import/recommendations.html", {
        "form": form, "items": items, "can_verify": user.role in services.RECOMMENDATION_VERIFIERS,
    })


RECOMMENDATION_READERS = (Role.AGENCY, Role.IMPORTER, *SUGAR_OFFICER_ROLES)


@role_required(*services.RECOMMENDATION_VERIFIERS)
def recommendations_pending(request):
    """Issue 15, item 8: the importers' uploaded Rekomendasi awaiting verification, oldest
    first; each opens on the page where the verifier reads the signed PDF and decides."""
    items = CappedPaginator(selectors.recommendation_verification_queue(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "sugar_import/recommendations_pending.html", {"items": items})


@role_required(*RECOMMENDATION_READERS)
def recommendation_detail(request, pk: int):
    """One Rekomendasi: its data, the signed PDF the importer uploaded, its verification and
    history; the verifiers confirm or reject it here."""
    rec = selectors.recommendation_get(user=request.user, pk=pk)
    return render(request, "sugar_import/recommendation_detail.html", {
        "rec": rec,
        "can_verify": request.user.role in services.RECOMMENDATION_VERIFIERS and rec.verification_status == "pending",
        "reason_form": ReasonForm(),
        "audit_entries": timeline_for(rec),
    })


@role_required(*RECOMMENDATION_READERS)
def recommendation_pdf(request, pk: int):
    """The signed PDF an importer uploaded (same access as the Rekomendasi)."""
    from inatrade.files import serve_private

    rec = selectors.recommendation_get(user=request.user, pk=pk)
    if not rec.pdf_path:
        raise Http404
    return serve_private(rec.pdf_path, filename=f"rekomendasi-{rec.pk}.pdf")


@require_POST
@role_required(*services.RECOMMENDATION_VERIFIERS)
def recommendation_verify(request, pk: int, decision: str):
    """Confirm the upload against the signed PDF, or reject it with a reason."""
    rec = selectors.recommendation_get(user=request.user, pk=pk)
    try:
        if decision == "confirm":
            services.recommendation_confirm(recommendation=rec, actor=request.user)
            messages.success(request, _("Rekomendasi %(number)s terverifikasi.") % {"number": rec.number})
        else:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.recommendation_reject(recommendation=rec, actor=request.user, reason=reason)
            messages.success(request, _("Rekomendasi %(number)s ditolak.") % {"number": rec.number})
    except DomainError as exc:
        refused(request, exc)
    return redirect("sugar-recommendation", pk=pk)


# --------------------------------------------------------------------------- quotas (PI-05)
QUOTA_READERS = (Role.AGENCY, *SUGAR_OFFICER_ROLES)


def _quotas_context(request, form=None):
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    if form is None and request.user.role == Role.ADMINISTRATOR:
        form = QuotaForm()
    return {"items": selectors.quota_overview(year=year), "year": year, "form": form}


@role_required(*QUOTA_READERS)
def quotas(request):
    """PI-05: rakor allocations per year, purpose and sugar type: allocated, drawn by issued
    PIs, remaining. Administrators record or raise an allocation here."""
    return render(request, "sugar_import/quotas.html", _quotas_context(request))


@require_POST
@role_required(Role.ADMINISTRATOR)
def quota_record(request):
    form = QuotaForm(request.POST)
    if form.is_valid():
        try:
            quota = services.quota_allocation_record(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            refused_on_form(request, form, exc)
        else:
            messages.success(request, _("Alokasi rakor %(quota)s dicatat.") % {"quota": quota})
            return redirect("sugar-quotas")
    return render(request, "sugar_import/quotas.html", _quotas_context(request, form), status=400)

"""Monthly realization reports (PI-11, PI-15), the freeze / reactivate / revoke job (PI-12),
the one-year block (PI-13), reminders (AUD-03), INSW events (DOC-05), and REL-04 for jobs."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from inatrade.errors import DomainError, InvalidTransition, RuleViolation
from inatrade.models import AuditEntry, OutgoingEmail
from permits.models import InswOutboxEvent, PermitStatus
from sugar_import import services
from sugar_import.models import SugarPermitStatus
from tests.sugar_import.conftest import draft, make_quota, mark_signed, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(clock, owner, api_p, industry, gkm, recommendation, dirjen):
    """A PI approved on Monday 5 January 2026, valid from that day."""
    clock.set(date(2026, 1, 5))
    make_quota(industry, gkm, year=2026)
    application = services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    return mark_signed(services.sugar_application_approve(application=application, actor=dirjen))


def report(sp, owner, period, *, volume=None, destination="Pabrik rafinasi sendiri, Cilegon"):
    shipments = []
    if volume:
        shipments = [{"pib_number": "000123", "pib_date": period.replace(day=20), "hs_code": "1701.14.00",
                      "volume_tonnes": volume, "pib_file": pdf_upload("pib.pdf")}]
    return services.monthly_report_submit(sugar_permit=sp, actor=owner, period=period, nil_report=not volume,
                                          shipments=shipments, destination=destination if volume else "")


def run(name, day):
    call_command("run_job", name, "--as-of", day.isoformat())


def state(sp):
    sp.refresh_from_db()
    sp.permit.refresh_from_db()
    return sp.status, sp.permit.status


def test_it_files_a_report_with_shipments_and_counts_the_realized_volume__PI_11(issued, owner, clock):
    clock.set(date(2026, 2, 3))
    filed = report(issued, owner, date(2026, 1, 1), volume="400")
    issued.refresh_from_db()
    assert filed.total_tonnes == Decimal("400") and not filed.late
    assert issued.realized_tonnes == Decimal("400") and filed.shipments.get().pib_path


def test_reported_volumes_cannot_exceed_the_permit__PI_11(issued, owner, clock):
    clock.set(date(2026, 2, 3))
    with pytest.raises(RuleViolation) as err:
        report(issued, owner, date(2026, 1, 1), volume="1000.001")
    assert err.value.code == "volume_exceeded"


def test_a_month_is_reported_once_and_only_within_validity__PI_11(issued, owner, clock):
    clock.set(date(2026, 2, 3))
    report(issued, owner, date(2026, 1, 1))
    with pytest.raises(InvalidTransition):
        report(issued, owner, date(2026, 1, 1))
    with pytest.raises(RuleViolation):
        report(issued, owner, date(2025, 12, 1))
    with pytest.raises(RuleViolation):
        report(issued, owner, date(2026, 3, 1))  # not begun yet


def test_a_shipment_needs_its_pib_file_and_the_destination_of_industry_sugar__PI_11_PI_15(issued, owner, clock):
    clock.set(date(2026, 2, 3))
    with pytest.raises(RuleViolation) as err:
        services.monthly_report_submit(
            sugar_permit=issued, actor=owner, period=date(2026, 1, 1), nil_report=False, destination="",
            shipments=[{"pib_number": "1", "pib_date": date(2026, 1, 9), "hs_code": "1701.14.00", "volume_tonnes": "5"}])
    assert "shipments.0.pib_file" in err.value.fields and "destination" in err.value.fields


def test_another_company_cannot_report_on_the_permit__PI_11(issued, outsider, clock):
    clock.set(date(2026, 2, 3))
    with pytest.raises(DomainError) as err:
        report(issued, outsider, date(2026, 1, 1))
    assert err.value.status == 404


def test_it_reminds_on_the_10th_once__PI_11_AUD_03(issued, clock):
    run("monthly_report_reminders", date(2026, 2, 9))
    assert not OutgoingEmail.objects.filter(template="sugar_report_reminder").exists()
    run("monthly_report_reminders", date(2026, 2, 10))
    run("monthly_report_reminders", date(2026, 2, 11))
    mail = OutgoingEmail.objects.get(template="sugar_report_reminder")
    assert issued.number in mail.body and "2026-01" in mail.body


def test_it_does_not_freeze_on_the_15th_but_freezes_on_the_16th__PI_12(issued):
    run("monthly_report_freeze", date(2026, 2, 15))
    assert state(issued) == (SugarPermitStatus.ACTIVE, PermitStatus.VALID)
    run("monthly_report_freeze", date(2026, 2, 16))
    assert state(issued) == (SugarPermitStatus.FROZEN, PermitStatus.FROZEN)
    assert issued.frozen_on == date(2026, 2, 16) and issued.frozen_period == date(2026, 1, 1)


def test_it_freezes_a_permit_whose_monthly_report_is_missing__PI_12(issued):
    run("monthly_report_freeze", date(2026, 2, 16))
    assert state(issued)[0] == SugarPermitStatus.FROZEN
    assert InswOutboxEvent.objects.filter(permit=issued.permit, event="frozen").count() == 1
    assert OutgoingEmail.objects.filter(template="sugar_permit_frozen").count() == 1
    assert AuditEntry.objects.filter(action="sugar_permit.freeze", object_id=str(issued.pk)).count() == 1


def test_the_jobs_events_carry_insw_payload_and_its_audit_rows_chain__DOC_05_AUD_01_PERF_03(issued):
    """The job writes its INSW events and audit rows set-based, in SQL: the same payload as
    ``insw_payload`` and the same audit rows as ``audit_record`` (the chain verifies)."""
    from inatrade.audit import verify_audit_chain
    from permits.services import insw_payload

    run("monthly_report_freeze", date(2026, 2, 16))
    issued.permit.refresh_from_db()
    event = InswOutboxEvent.objects.get(permit=issued.permit, event="frozen")
    assert event.payload == insw_payload(issued.permit, "frozen", issued.permit.current_version)
    assert verify_audit_chain().ok
    pi = AuditEntry.objects.get(action="sugar_permit.freeze")
    permit = AuditEntry.objects.get(action="permit.freeze")
    assert (pi.object_type, pi.object_id, pi.object_label) == ("sugar_import.sugarpermit", str(issued.pk), str(issued))
    assert (permit.object_type, permit.object_id, permit.object_label) == ("permits.permit", str(issued.permit.pk), str(issued.permit))
    assert (pi.from_state, pi.to_state, pi.company_id, pi.actor_label, pi.data) == (
        "active", "frozen", issued.company_id, "system", {"period": "2026-01"})
    assert (permit.from_state, permit.to_state, permit.company_id, permit.actor_label, permit.data) == (
        "valid", "frozen", issued.company_id, "system", {})
    # The PI's own transition (Machine.apply_bulk) is recorded first, then its document's.
    assert pi.seq < permit.seq and pi.reason == permit.reason == "Laporan realisasi 2026-01 tidak disampaikan (Pasal 18 ayat (1))."


def test_running_the_freeze_twice_changes_nothing__REL_04_PI_12(issued):
    run("monthly_report_freeze", date(2026, 2, 16))
    counts = (InswOutboxEvent.objects.count(), OutgoingEmail.objects.count(), AuditEntry.objects.count())
    assert services.monthly_report_freeze(as_of=date(2026, 2, 16))["changed"] == 0
    assert (InswOutboxEvent.objects.count(), OutgoingEmail.objects.count(), AuditEntry.objects.count()) == counts


def test_a_frozen_permit_cannot_be_amended__PI_12(issued, owner):
    run("monthly_report_freeze", date(2026, 2, 16))
    issued.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.amendment_submit(sugar_permit=issued, actor=owner, reason="Ganti pelabuhan", address="Jl. Baru 1")


def test_a_late_report_within_a_month_reactivates__PI_12(issued, owner, clock):
    run("monthly_report_freeze", date(2026, 2, 16))
    clock.set(date(2026, 3, 10))
    filed = report(issued, owner, date(2026, 1, 1))
    assert filed.late
    assert state(issued) == (SugarPermitStatus.ACTIVE, PermitStatus.VALID)
    assert InswOutboxEvent.objects.filter(permit=issued.permit, event="reactivated").count() == 1
    assert OutgoingEmail.objects.filter(template="sugar_permit_reactivated").count() == 1


def test_it_revokes_a_month_after_the_freeze_without_the_report__PI_12(issued):
    run("monthly_report_freeze", date(2026, 2, 16))
    run("monthly_report_freeze", date(2026, 3, 16))
    assert state(issued)[0] == SugarPermitStatus.FROZEN  # the month is not over on the 16th
    run("monthly_report_freeze", date(2026, 3, 17))
    assert state(issued) == (SugarPermitStatus.REVOKED, PermitStatus.REVOKED)
    assert issued.revoked_on == date(2026, 3, 17) and issued.revocation_reason == "no_report"
    assert InswOutboxEvent.objects.filter(permit=issued.permit, event="revoked").count() == 1


def test_a_late_run_reaches_the_same_state__PI_12(issued):
    """The job did not run for two months: one run freezes as of the 16th and revokes a month later."""
    result = services.monthly_report_freeze(as_of=date(2026, 4, 1))
    assert result["frozen"] == 1 and result["revoked"] == 1
    issued.refresh_from_db()
    assert issued.status == SugarPermitStatus.REVOKED and issued.revoked_on == date(2026, 3, 17)


def test_a_report_after_the_month_does_not_save_the_permit__PI_12(issued, owner, clock):
    run("monthly_report_freeze", date(2026, 2, 16))
    clock.set(date(2026, 3, 18))
    report(issued, owner, date(2026, 1, 1))
    assert state(issued)[0] == SugarPermitStatus.FROZEN
    run("monthly_report_freeze", date(2026, 3, 18))
    assert state(issued)[0] == SugarPermitStatus.REVOKED


def test_the_director_general_revokes_for_a_pasal_19_reason__PI_12(issued, dirjen, owner):
    with pytest.raises(DomainError):
        services.sugar_permit_revoke(sugar_permit=issued, actor=owner, reason_code="trading")
    services.sugar_permit_revoke(sugar_permit=issued, actor=dirjen, reason_code="trading", note="Temuan Kemenperin")
    assert state(issued) == (SugarPermitStatus.REVOKED, PermitStatus.REVOKED)
    assert OutgoingEmail.objects.filter(template="sugar_permit_revoked").exists()
    with pytest.raises(InvalidTransition):
        services.sugar_permit_revoke(sugar_permit=issued, actor=dirjen, reason_code="trading")


def test_a_sanctioned_importer_cannot_apply_for_a_year__PI_13(issued, owner, dirjen, clock, recommendation):
    clock.set(date(2026, 5, 4))
    services.sugar_permit_revoke(sugar_permit=issued, actor=dirjen, reason_code="untrue_data")
    application = draft(owner, recommendation)
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=application, actor=owner)
    assert err.value.code == "sanctioned"
    clock.set(date(2027, 5, 4))
    make_quota(issued.purpose, issued.sugar_type, year=2027)
    assert services.sugar_application_submit(application=application, actor=owner).status == "submitted"


def test_a_year_of_a_permit_driven_by_run_job__PI_11_PI_12_PI_13(issued, owner, clock, recommendation):
    """apply → issue → report some months, miss one → frozen → late report → reactivated →
    miss again → revoked → a new application refused for a year."""
    days = []

    def month(day, *, reminders=True):
        if reminders:
            run("monthly_report_reminders", day)
        run("monthly_report_freeze", day)
        run("monthly_report_freeze", day)  # twice: nothing more happens (REL-04)
        days.append((day, state(issued)[0]))

    clock.set(date(2026, 2, 12))
    report(issued, owner, date(2026, 1, 1), volume="300")
    month(date(2026, 2, 10))
    month(date(2026, 2, 16))
    clock.set(date(2026, 3, 14))
    report(issued, owner, date(2026, 2, 1))
    month(date(2026, 3, 16))
    # March is not reported by 15 April.
    month(date(2026, 4, 10))
    month(date(2026, 4, 16))
    assert days[-1][1] == SugarPermitStatus.FROZEN
    clock.set(date(2026, 5, 6))
    report(issued, owner, date(2026, 3, 1), volume="200")
    report(issued, owner, date(2026, 4, 1))
    month(date(2026, 5, 16))
    assert days[-1][1] == SugarPermitStatus.ACTIVE
    # May is never reported.
    month(date(2026, 6, 16))
    assert days[-1][1] == SugarPermitStatus.FROZEN
    month(date(2026, 7, 16))
    assert days[-1][1] == SugarPermitStatus.FROZEN
    month(date(2026, 7, 17))
    assert days[-1][1] == SugarPermitStatus.REVOKED
    events = list(InswOutboxEvent.objects.filter(permit=issued.permit).order_by("created_at").values_list("event", flat=True))
    assert events == ["frozen", "reactivated", "frozen", "revoked"]
    templates = list(OutgoingEmail.objects.filter(template__startswith="sugar_permit_").exclude(
        template="sugar_permit_issued").order_by("created_at").values_list("template", flat=True))
    assert templates == ["sugar_permit_frozen", "sugar_permit_reactivated", "sugar_permit_frozen", "sugar_permit_revoked"]
    issued.refresh_from_db()
    assert issued.realized_tonnes == Decimal("500")
    clock.set(date(2026, 9, 1))
    with pytest.raises(RuleViolation) as err:
        services.sugar_application_submit(application=draft(owner, recommendation), actor=owner)
    assert err.value.code == "sanctioned" and err.value.fields["company"] == ["2027-07-17"]


def test_a_nil_report_that_reactivates_a_frozen_permit_says_so__PI_12(issued, owner, clock, client):
    """Issue 17 finding 9: a nil monthly report silently unfroze a permit."""
    run("monthly_report_freeze", date(2026, 2, 16))
    clock.set(date(2026, 3, 10))
    client.force_login(owner)
    response = client.post(f"/sugar/permits/{issued.number}/reports", {"period": "2026-01", "nil_report": "on"}, follow=True)
    page = response.content.decode()
    assert state(issued)[0] == SugarPermitStatus.ACTIVE
    assert "Laporan realisasi nihil 2026-01 disampaikan." in page
    assert f"PI {issued.number} diaktifkan kembali" in page

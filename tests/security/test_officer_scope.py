"""SEC-01 / SEC-05, issue 15 item 6: each official reads the permits, applications and PDFs
of their role and jurisdiction, the same in the HTML and the API. ``permit_can_download``
used to admit every officer role to every permit PDF, and the Dinas and Kab/Kota officers read
every sugar application and PI in the country."""

import pytest

from accounts.models import Role
from api_registry.models import IssuerMembership
from permits.models import Permit
from permits.selectors import permits_for_user
from permits.services import permit_can_download
from sugar_import import selectors as sugar
from tests.factories import UserFactory
from tests.security.walk import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.PKI_DIR = tmp_path / "no-pki"
    seed_demo()


def _dinas_officer(regency=None):
    from api_registry.models import Issuer

    user = UserFactory(role=Role.ISSUER_OFFICER)
    IssuerMembership.objects.create(user=user, issuer=Issuer.objects.get(code="dinas-31"), regency_id=regency)
    return user


def test_each_official_reads_the_permits_of_their_role_and_jurisdiction__SEC_01_SEC_05(demo, client):
    sugar_pis = set(Permit.objects.filter(kind="sugar_pi").values_list("number", flat=True))
    dki_apis = set(Permit.objects.filter(kind__in=("api_u", "api_p"), number__startswith="31").values_list("number", flat=True))
    banten_apis = set(Permit.objects.filter(kind__in=("api_u", "api_p"), number__startswith="36").values_list("number", flat=True))
    assert sugar_pis and dki_apis

    def numbers(user):
        return set(permits_for_user(user=user).values_list("number", flat=True))

    dinas = _dinas_officer()
    assert numbers(dinas) == dki_apis  # its own issuer's APIs: no sugar PI, not Banten's
    kabkota = _dinas_officer(regency="3174")
    assert numbers(kabkota) == set()  # inspects applications; issues nothing
    assert numbers(UserFactory(role=Role.FIELD_VERIFIER)) == set()
    for role in (Role.COUNTER_OFFICER, Role.DIRECTOR):
        assert numbers(UserFactory(role=role)) == sugar_pis
    assert numbers(UserFactory(role=Role.DIRECTOR_GENERAL)) == sugar_pis | dki_apis | banten_apis

    pi = Permit.objects.filter(kind="sugar_pi").first()
    api = Permit.objects.get(number=sorted(dki_apis)[0])
    assert permit_can_download(permit=api, user=dinas) and not permit_can_download(permit=pi, user=dinas)
    assert not permit_can_download(permit=api, user=kabkota)
    assert permit_can_download(permit=pi, user=UserFactory(role=Role.DIRECTOR_GENERAL))
    # the same answer in the browser and the API
    client.force_login(dinas)
    assert client.get(f"/permits/{pi.number}/pdf").status_code == 404
    assert client.get(f"/api/v1/permits/{pi.number}/pdf").status_code == 404


def test_dinas_and_kab_kota_officers_read_no_sugar_case__SEC_01(demo, client):
    for officer in (_dinas_officer(), _dinas_officer(regency="3174"), UserFactory(role=Role.FIELD_VERIFIER)):
        assert not sugar.application_list(user=officer).exists()
        assert not sugar.permit_list(user=officer).exists()
        assert not sugar.recommendation_list(user=officer).exists()
        client.force_login(officer)
        assert client.get("/sugar/").status_code == 403
        body = client.get("/api/v1/sugar/applications/").json()
        assert body["error"]["code"] in ("permission_denied", "forbidden", "not_authenticated") or body.get("results") == []
    assert sugar.application_list(user=UserFactory(role=Role.COUNTER_OFFICER)).exists()

"""API-05: the province and Kab/Kota digits of an API number are Kemendagri codes; all 514
Kab/Kota of the 38 provinces are reference data (api_registry/data, migration 0004)."""

from importlib import import_module

import pytest
from django.apps import apps

from api_registry.models import Issuer
from reference.models import Province, Regency

pytestmark = pytest.mark.django_db


def test_all_514_kab_kota_exist_each_under_one_of_the_38_provinces__API_05():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert not Regency.objects.exclude(province__in=Province.objects.all()).exists()
    assert all(code[:2] == province for code, province in Regency.objects.values_list("code", "province_id"))
    assert Province.objects.filter(regencies__isnull=True).count() == 0


@pytest.mark.parametrize(
    "code, name",
    [
        ("3171", "Kota Administrasi Jakarta Pusat"),
        ("3172", "Kota Administrasi Jakarta Utara"),
        ("3173", "Kota Administrasi Jakarta Barat"),
        ("3174", "Kota Administrasi Jakarta Selatan"),
        ("3175", "Kota Administrasi Jakarta Timur"),
        ("1271", "Kota Medan"),
        ("2101", "Kabupaten Bintan"),
        ("2102", "Kabupaten Karimun"),
        ("6501", "Kabupaten Bulungan"),
        ("7602", "Kabupaten Mamuju"),
    ],
)
def test_kab_kota_carry_their_kemendagri_codes__API_05(code, name):
    assert Regency.objects.get(code=code).name == name


def test_province_31_has_its_kemendagri_name__API_05():
    assert Province.objects.get(code="31").name == "Daerah Khusus Ibukota Jakarta"


def test_each_free_trade_zone_covers_its_kab_kota__API_03():
    zones = {issuer.code: sorted(issuer.zone_regencies.values_list("code", flat=True)) for issuer in Issuer.objects.filter(kind="zone")}
    assert zones == {"bp-batam": ["2171"], "bp-bintan": ["2101", "2172"], "bp-karimun": ["2102"], "bp-sabang": ["1172"]}


def test_loading_again_corrects_names_and_keeps_a_zone_area_an_administrator_added__API_05():
    Regency.objects.filter(code="3171").update(name="Kota Administrasi Jakarta Selatan")
    Issuer.objects.get(code="bp-batam").zone_regencies.add("2101")
    import_module("api_registry.migrations.0004_load_kemendagri_regions").seed(apps, None)
    assert Regency.objects.get(code="3171").name == "Kota Administrasi Jakarta Pusat"
    assert Regency.objects.count() == 514
    assert set(Issuer.objects.get(code="bp-batam").zone_regencies.values_list("code", flat=True)) == {"2171", "2101"}


def test_anyone_lists_the_kab_kota_and_their_codes_for_the_registration__API_03(client):
    """The registration asks for a Kemendagri code: the API lists them, by province or name."""
    everything = client.get("/api/v1/regions/?page_size=100").json()
    assert everything["count"] == 514 and len(everything["results"]) == 100
    jakarta = client.get("/api/v1/regions/?province=31").json()
    assert [r["code"] for r in jakarta["results"]] == ["3101", "3171", "3172", "3173", "3174", "3175"]
    assert jakarta["results"][4] == {"code": "3174", "name": "Kota Administrasi Jakarta Selatan",
                                     "province_code": "31", "province_name": "Daerah Khusus Ibukota Jakarta"}
    medan = client.get("/api/v1/regions/?search=kota%20medan").json()["results"]
    assert [r["code"] for r in medan] == ["1271"]
    assert [r["code"] for r in client.get("/api/v1/regions/?search=3174").json()["results"]] == ["3174"]

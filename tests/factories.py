import factory

from accounts.models import AccessStatus, Company, JenisTrader, Role, User

DEFAULT_PASSWORD = "Rahasia#2026"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"PT Contoh Niaga {n}")
    jenis_trader = JenisTrader.PERUSAHAAN
    nib = factory.Sequence(lambda n: f"{9120000000000 + n:013d}")
    npwp = factory.Sequence(lambda n: f"{10000000000000 + n:015d}")
    address = "Jl. Medan Merdeka Barat No. 9, Jakarta Pusat"
    province_code = "31"
    regency_code = "3171"
    email = factory.Sequence(lambda n: f"kantor{n}@contoh.co.id")
    phone = "+62 21 3858171"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"{0xA00000 + n:06X}")
    email = factory.LazyAttribute(lambda u: f"{u.username.lower()}@contoh.co.id")
    first_name = "Budi"
    last_name = factory.Sequence(lambda n: f"Santoso {n}")
    role = Role.IMPORTER
    access_status = AccessStatus.ACTIVE
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.must_change_password = False
            obj.save()


class ImporterFactory(UserFactory):
    role = Role.IMPORTER
    company = factory.SubFactory(CompanyFactory)

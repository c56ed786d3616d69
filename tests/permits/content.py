"""Test data: the content of a sugar permit built directly (for the tests and benchmarks of
signing, INSW and downloads, which need a permit but not a sugar application).

Production builds a sugar PI's content in ``sugar_import.services`` (``_permit_content``); the
DOC-01 tests render that one (tests/permits/test_document.py). This builder is only test data
with every field of P14 Pasal 8 filled in.
"""

from __future__ import annotations

from permits.documents import tanggal

P14_REGULATION = (
    "Peraturan Menteri Perdagangan Nomor 14 Tahun 2020 tentang Ketentuan Impor Gula"
)


def sugar_pi_content(
    *,
    holder,
    application_number: str,
    application_date,
    sugar_type: str,
    lines: list[dict],
    recommendation: dict | None = None,
    assignment: dict | None = None,
    purpose: str = "",
    conditions: list[str] | None = None,
    unit: str = "ton",
) -> dict:
    """The content of a sugar Persetujuan Impor with every field of P14 Pasal 8(1): NIB as
    API-U (a), Rekomendasi (b) and surat penugasan (c) numbers and dates, name and address (d),
    HS (e), sugar type (f), volume (g), origin (h), port of destination (i) in the lines; number,
    date (j) and validity (k) come from the permit itself.

    ``lines``: [{hs_code, description, volume_tonnes (Decimal/str), origin_country, port_of_discharge}].
    ``recommendation`` / ``assignment``: {number, date, issuer?}.
    """
    from decimal import Decimal

    def fmt(value) -> str:
        q = Decimal(str(value)).quantize(Decimal("0.001"))
        whole, _, frac = f"{q:f}".partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + (frac or "000")

    total = sum((Decimal(str(line["volume_tonnes"])) for line in lines), Decimal("0"))
    docs = [{"label": "NIB (berlaku sebagai API-U)", "value": holder.nib or "-"}]
    if getattr(holder, "npwp", ""):
        docs.append({"label": "NPWP", "value": getattr(holder, "npwp_formatted", holder.npwp)})
    if recommendation:
        docs.append({"label": f"Rekomendasi {recommendation.get('issuer', '')}".strip(),
                     "value": f"Nomor {recommendation['number']} tanggal {tanggal(recommendation['date'])}"})
    if assignment:
        docs.append({"label": "Surat Penugasan", "value": f"Nomor {assignment['number']} tanggal {tanggal(assignment['date'])}"})
    base_conditions = [
        f"Jenis gula: {sugar_type}; Pos Tarif/HS, jumlah, negara asal dan pelabuhan tujuan sebagaimana tercantum dalam Lampiran.",
        f"Jumlah keseluruhan {fmt(total)} {unit}.",
    ]
    if purpose:
        base_conditions.append(f"Gula yang diimpor hanya untuk {purpose}.")
    base_conditions += list(conditions or [
        "Wajib menyampaikan laporan realisasi impor setiap bulan paling lambat tanggal 15 bulan berikutnya "
        "melalui INATRADE, baik terealisasi maupun tidak terealisasi.",
        "Setiap pelaksanaan impor wajib terlebih dahulu dilakukan verifikasi atau penelusuran teknis oleh Surveyor.",
    ])
    return {
        "title": f"Persetujuan Impor {sugar_type}",
        "regulation": P14_REGULATION,
        "application": {"number": application_number, "date": str(application_date)},
        "recommendation": recommendation,
        "assignment": assignment,
        "holder": {"name": holder.name, "address": holder.address, "nib": holder.nib, "npwp": holder.npwp},
        "holder_documents": docs,
        "grant_subject": f"{sugar_type} sebanyak {fmt(total)} {unit}",
        "sugar_type": sugar_type,
        "conditions": base_conditions,
        "total_quantity": f"{fmt(total)} {unit}",
        "lines": [
            {
                "hs_code": line["hs_code"],
                "description": line.get("description") or sugar_type,
                "quantity": fmt(line["volume_tonnes"]),
                "unit": unit,
                "origin_country": line["origin_country"],
                "port_of_discharge": line["port_of_discharge"],
            }
            for line in lines
        ],
    }

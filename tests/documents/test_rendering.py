import datetime
import io
import re
import subprocess
from decimal import Decimal

import pikepdf
import pytest
from django.core.files.base import ContentFile
from PIL import Image
from weasyprint.urls import FatalURLFetchingError

from documents.rendering import document_template, render_pdf
from tests.factories import OrganisationFactory

POLISH_LETTERS = "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"


def sample_context(rows: int = 3) -> dict:
    return {
        "recipient": f"Stowarzyszenie „{POLISH_LETTERS}”",
        "purpose": "Zajęcia dla seniorów",
        "total": Decimal("12345.67"),
        "signed_on": datetime.date(2026, 11, 23),
        "days": 5,
        "rows": [
            {
                "name": f"Pozycja {n}",
                "quantity": n,
                "unit_price": Decimal("10.00"),
                "amount": Decimal("10.00") * n,
            }
            for n in range(1, rows + 1)
        ],
    }


def pdftotext(pdf: bytes, *args: str) -> str:
    result = subprocess.run(
        ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def region(pdf: bytes, page: int, *, top: int, height: int) -> str:
    """The text of one page inside a full-width band, in points from the top."""
    return pdftotext(
        pdf,
        "-f",
        str(page),
        "-l",
        str(page),
        "-x",
        "0",
        "-y",
        str(top),
        "-W",
        "596",
        "-H",
        str(height),
    )


def pdffonts(pdf: bytes, tmp_path) -> list[dict]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()
    # name, type (may contain spaces), encoding, emb, sub, uni, object id, generation
    fonts = []
    for line in lines[2:]:
        fields = line.split()
        fonts.append({"name": fields[0], "emb": fields[-5], "sub": fields[-4]})
    return fonts


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        name="Gmina Żółkiewka", street="ul. Łąkowa 1", postal_code="22-335", city="Żółkiewka"
    )


def test_sample_document_has_polish_text_embedded_fonts_and_pdfa_metadata(organisation, tmp_path):
    pdf = render_pdf(
        template_name="sample.html",
        context=sample_context(),
        organisation=organisation,
        title="Umowa dotacji",
        subject="Mikrogrant na zajęcia",
        number="UM/7/2026",
    )

    text = pdftotext(pdf)
    assert POLISH_LETTERS in text
    assert "12 345,67 zł" in text  # pdftotext gives the no-break spaces as plain ones
    assert "dwanaście tysięcy trzysta czterdzieści pięć złotych 67/100" in text
    assert "23 listopada 2026 r." in text
    assert "Gmina Żółkiewka" in text
    assert "ul. Łąkowa 1, 22-335 Żółkiewka" in text

    fonts = pdffonts(pdf, tmp_path)
    assert sorted(font["name"].split("+")[1] for font in fonts) == [
        "DejaVu-Sans",
        "DejaVu-Sans-Bold",
    ]
    assert {font["emb"] for font in fonts} == {"yes"}

    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.open_metadata()
        assert metadata["pdfaid:part"] == "3"
        assert metadata["pdfaid:conformance"] == "B"
        assert metadata["dc:title"] == "Umowa dotacji UM/7/2026"
        assert metadata["dc:creator"] == ["Gmina Żółkiewka"]
        assert metadata["dc:description"] == "Mikrogrant na zajęcia"
        assert str(document.Root.Lang) == "pl"
        assert str(document.docinfo.Title) == "Umowa dotacji UM/7/2026"
        assert str(document.docinfo.Author) == "Gmina Żółkiewka"
        assert str(document.docinfo.Subject) == "Mikrogrant na zajęcia"
        assert document.pdf_version == "1.7"


def test_long_table_spans_pages_with_header_row_title_and_page_numbers_on_each(organisation):
    pdf = render_pdf(
        template_name="sample.html",
        context=sample_context(rows=80),
        organisation=organisation,
        title="Umowa dotacji",
        number="UM/7/2026",
        language="en",
    )

    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 3
        # A4 is 210 x 297 mm, 595.28 x 841.89 points
        sizes = [tuple(round(float(v), 2) for v in page.mediabox) for page in document.pages]
        assert sizes == [(0, 0, 595.28, 841.89)] * 3
    for page in (1, 2, 3):
        header = region(pdf, page, top=0, height=91)  # the 32 mm top margin
        footer = region(pdf, page, top=780, height=62)  # the 22 mm bottom margin
        body = region(pdf, page, top=91, height=689)
        assert " ".join(header.split()) == (
            "Gmina Żółkiewka ul. Łąkowa 1, 22-335 Żółkiewka Umowa dotacji UM/7/2026"
        )
        assert footer.split() == ["Page", str(page), "of", "3"]
        assert "No. Item Quantity Unit price Value" in " ".join(body.split())


def test_same_input_renders_the_same_bytes(organisation):
    def render():
        return render_pdf(
            template_name="sample.html",
            context=sample_context(),
            organisation=organisation,
            title="Umowa",
        )

    assert render() == render()


def test_logo_is_embedded_in_the_header_of_every_page(organisation):
    logo = io.BytesIO()
    Image.new("RGB", (60, 30), (200, 0, 0)).save(logo, format="PNG")
    organisation.logo.save("herb.png", ContentFile(logo.getvalue()))

    pdf = render_pdf(
        template_name="sample.html",
        context=sample_context(rows=80),
        organisation=organisation,
        title="Umowa",
    )

    with pikepdf.open(io.BytesIO(pdf)) as document:
        images = [len(page.get_images()) for page in document.pages]
    assert images == [1, 1, 1]


def test_an_organisation_override_is_used_before_the_default(organisation, extra_templates):
    other = OrganisationFactory()
    override = extra_templates / "documents" / "overrides" / organisation.nip / "sample.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "documents/base.html" %}'
        "{% block content %}<p>Wzór gminy: {{ purpose }}</p>{% endblock %}"
    )

    assert (
        document_template("sample.html", organisation).origin.template_name
        == f"documents/overrides/{organisation.nip}/sample.html"
    )
    assert document_template("sample.html", other).origin.template_name == "documents/sample.html"
    assert document_template("sample.html").origin.template_name == "documents/sample.html"
    pdf = render_pdf(
        template_name="sample.html",
        context=sample_context(),
        organisation=organisation,
        title="Umowa",
    )
    assert "Wzór gminy: Zajęcia dla seniorów" in pdftotext(pdf)


def test_rendering_never_fetches_from_the_network(extra_templates):
    template = extra_templates / "documents" / "remote.html"
    template.parent.mkdir(parents=True)
    template.write_text('<img src="http://127.0.0.1:9/logo.png">')

    with pytest.raises(FatalURLFetchingError, match=re.escape('"http://127.0.0.1:9/logo.png"')):
        render_pdf(template_name="remote.html", context={}, title="Remote")


def test_the_footer_is_polish_by_default(organisation):
    pdf = render_pdf(
        template_name="sample.html",
        context=sample_context(rows=80),
        organisation=organisation,
        title="Umowa dotacji",
        number="UM/7/2026",
    )

    assert [region(pdf, page, top=780, height=62).split() for page in (1, 2, 3)] == [
        ["Strona", str(page), "z", "3"] for page in (1, 2, 3)
    ]
    assert "Lp. Pozycja Ilość Cena jednostkowa Wartość" in " ".join(
        region(pdf, 1, top=91, height=689).split()
    )

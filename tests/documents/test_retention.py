"""Each document records how long it is kept; documents_verify finds a missing or
altered file by its SHA-256."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from documents.retention import retain_until
from documents.services import document_render
from tests.workflows.sample.models import ticket_document_context

pytestmark = pytest.mark.django_db


def render(ticket, kind="sample"):
    return document_render(
        owner=ticket,
        kind=kind,
        template_name="sample.html",
        context=ticket_document_context(ticket),
    )


def test_a_stored_document_is_kept_five_years_from_the_next_first_of_january(ticket):
    document = render(ticket)

    document.refresh_from_db()
    assert document.retain_until == datetime.date(2031, 12, 31)


def test_the_file_plan_may_keep_a_kind_longer_never_shorter(ticket, settings):
    settings.DOCUMENTS_RETENTION_YEARS = {"agreement": 10, "notice": 2}

    assert render(ticket, kind="agreement").retain_until == datetime.date(2036, 12, 31)
    assert retain_until(kind="notice") == datetime.date(2031, 12, 31)


def test_new_years_eve_counts_in_warsaw_time(clock):
    clock.move_to(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC))  # 00:30 in Warsaw

    assert retain_until(kind="sample") == datetime.date(2032, 12, 31)


def test_documents_verify_passes_on_intact_files(ticket, capsys):
    render(ticket)

    call_command("documents_verify")

    assert capsys.readouterr().out == "1 documents checked, 0 missing or altered.\n"


def test_documents_verify_names_a_missing_and_an_altered_file(ticket, capsys):
    first = render(ticket)
    ticket.title = "Zmieniony tytuł"
    ticket.save()
    second = render(ticket)
    default_storage.delete(first.file.name)
    default_storage.delete(second.file.name)
    default_storage.save(second.file.name, ContentFile(b"%PDF-1.7 forged"))

    with pytest.raises(CommandError, match=r"^2 documents checked, 2 missing or altered\.$"):
        call_command("documents_verify")

    # SHA-256 of the forged file
    forged = "d244c304ae073e22106cac5c9a4c6f80666bf8ac65fafee92ac5b58ffb55aa81"
    assert capsys.readouterr().out.splitlines() == [
        f"document {first.pk}: file {first.file.name} is missing",
        f"document {second.pk}: file {second.file.name} has SHA-256 {forged}, not {second.sha256}",
    ]

"""Issue 12, the grant notices that used to be generic: each says what happened, what
its reader must do and by when, with the figures (the amounts paid and still ordered,
the reason typed in the transition's form, the reviews in of those needed), in Polish
as the recipient reads it and in English."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from grants import services
from grants.models import Call, GroupModel
from grants.services.group_invoices import group_invoice_submit
from notifications.models import Notification
from tests.grants.groups_support import approved_agreement
from tests.purchases.factories import nrb
from workflows.engine import transition_apply

pytestmark = pytest.mark.django_db

GRANTEE = "mieszkaniec@example.org"
SELLER = nrb(5101)


def told(email: str, language: str = "pl") -> tuple[str, str]:
    message = Notification.objects.filter(email=email).latest("pk")
    with translation.override(language):
        return message.rendered()


def pay_the_tranche(world, agreement) -> None:
    [tranche] = agreement.tranches.all()
    transition_apply(
        obj=tranche.payment_order,
        name="mark_paid",
        actor=world.finance,
        payload={"paid_on": "2026-11-23"},
    )


class TestATerminatedAgreement:
    def test_tells_what_was_paid_the_justification_and_what_each_reader_does(self, world):
        agreement = world.agreement_in_implementation()
        pay_the_tranche(world, agreement)

        transition_apply(
            obj=agreement,
            name="terminate",
            actor=world.official,
            payload={"justification": "Zadanie nie jest realizowane."},
        )

        expected = (
            "Umowa U/GMP/2026/FS1/0001 rozwiązana",
            "Umowa U/GMP/2026/FS1/0001 na „Ogród społeczny na Zielonej” (3 000,00 zł) została "
            "rozwiązana.\n\nUzasadnienie:\nZadanie nie jest realizowane.\n\nGrantobiorca: z "
            "dotacji wypłacono 3 000,00 zł. Nie wydawaj z niej już niczego. Urząd poinformuje "
            "Cię na piśmie, jaką kwotę, w jakim terminie i na jaki rachunek należy zwrócić; do "
            "tego czasu zachowaj dokumenty poniesionych wydatków.\n\nKsięgowość: w ramach "
            "umowy nie pozostała żadna płatność do wykonania.",
        )
        assert told(GRANTEE) == expected
        assert told(world.finance.email) == expected
        assert told(GRANTEE, "en") == (
            "Agreement U/GMP/2026/FS1/0001 terminated",
            'The agreement U/GMP/2026/FS1/0001 for "Ogród społeczny na Zielonej" (3 000,00 zł) '
            "was terminated.\n\nJustification:\nZadanie nie jest realizowane.\n\nGrantee: "
            "3 000,00 zł of the grant has been paid out. Spend nothing more from it. The "
            "office will tell you in writing how much of it is to be returned, by when and to "
            "which account; keep the documents of what you spent until then.\n\nFinance: no "
            "payment under the agreement is left to pay.",
        )
        assert Notification.objects.get(email=GRANTEE, kind="grants.agreement.terminate").essential

    def test_before_the_payment_asks_finance_to_cancel_the_order_left(self, world):
        agreement = world.agreement_in_implementation()

        transition_apply(
            obj=agreement,
            name="terminate",
            actor=world.official,
            payload={"justification": "Rezygnacja grantobiorcy."},
        )

        assert told(world.finance.email)[1].endswith(
            "Uzasadnienie:\nRezygnacja grantobiorcy.\n\nGrantobiorca: z dotacji nic nie "
            "wypłacono, więc nie ma nic do zwrotu; nie ponoś z niej wydatków.\n\nKsięgowość: "
            "niezapłacone jeszcze dyspozycje płatności (liczba: 1, łącznie 3 000,00 zł) nie są "
            "już należne: anuluj je i ich nie płać."
        )


class TestReviews:
    @pytest.fixture
    def reviews(self, world):
        application = world.formally_accepted()
        return services.reviews_assign(
            application=application, evaluators=world.evaluators, actor=world.official
        )

    def test_a_declined_review_carries_the_reason_and_asks_for_another_evaluator(
        self, world, reviews
    ):
        review = reviews[1]

        transition_apply(
            obj=review,
            name="decline",
            actor=review.evaluator,
            payload={"reason": "Jestem sąsiadem wnioskodawcy."},
        )

        evaluator = str(review.evaluator)
        assert told(world.official.email) == (
            f"Wniosek GMP/2026/FS1/0001: rezygnacja z oceny ({evaluator})",
            f"Osoba oceniająca {evaluator} zrezygnowała z oceny wniosku GMP/2026/FS1/0001 "
            "(„Ogród społeczny na Zielonej”) z powodu konfliktu interesów.\n\nPowód:\n"
            "Jestem sąsiadem wnioskodawcy.\n\nPrzydziel kolejnego oceniającego: wniosek ma ich "
            "1 z 2 wymaganych.",
        )

    def test_a_submitted_review_says_its_points_and_how_many_are_in(self, world, reviews):
        criteria = list(reviews[0].application.call.criteria.all())
        submitted = []
        for review, points in zip(reviews, ((8, 15), (9, 16)), strict=True):
            review = transition_apply(obj=review, name="declare", actor=review.evaluator)
            services.review_score(
                review=review,
                actor=review.evaluator,
                scores=[
                    {"criterion": c.pk, "points": p, "justification": "Uzasadnienie."}
                    for c, p in zip(criteria, points, strict=True)
                ],
            )
            transition_apply(obj=review, name="submit", actor=review.evaluator)
            submitted.append(told(world.official.email))

        first, second = (str(review.evaluator) for review in reviews)
        assert submitted[0] == (
            "Wniosek GMP/2026/FS1/0001: złożono ocenę 1 z 2",
            f"Osoba oceniająca {first} złożyła ocenę wniosku GMP/2026/FS1/0001 („Ogród "
            "społeczny na Zielonej”): 23,00 pkt. Złożone oceny: 1 z 2 wymaganych.\n\nNie "
            "musisz teraz nic robić: ocena merytoryczna zamknie się sama, gdy wpłyną "
            "pozostałe oceny.",
        )
        assert submitted[1][1] == (
            f"Osoba oceniająca {second} złożyła ocenę wniosku GMP/2026/FS1/0001 („Ogród "
            "społeczny na Zielonej”): 25,00 pkt. Złożone oceny: 2 z 2 wymaganych.\n\nTo była "
            "ostatnia wymagana ocena: ocena merytoryczna zamknie się sama, a Ty dostaniesz "
            "wiadomość ze średnią punktów. Nie musisz teraz nic robić."
        )
        with translation.override("en"):
            message = Notification.objects.filter(email=world.official.email).latest("pk")
            assert message.rendered()[1].startswith(
                f"{second} submitted the review of the application GMP/2026/FS1/0001 "
                '("Ogród społeczny na Zielonej"): 25.00 points. Reviews in: 2 of the 2 needed.'
            )

    def test_a_declaration_says_who_and_when(self, world, reviews):
        review = transition_apply(obj=reviews[0], name="declare", actor=reviews[0].evaluator)

        evaluator = str(review.evaluator)
        assert told(world.official.email) == (
            f"Wniosek GMP/2026/FS1/0001: deklaracja bezstronności podpisana ({evaluator})",
            f"Osoba oceniająca {evaluator} podpisała 23 listopada 2026, 10:00 deklarację "
            "bezstronności do wniosku GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) i może "
            "teraz go ocenić. Nie musisz teraz nic robić; dostaniesz wiadomość, gdy ocena "
            "zostanie złożona.",
        )


def test_a_closed_evaluation_carries_the_average_and_asks_for_a_decision(world):
    application = world.evaluated(complete=False)

    transition_apply(obj=application, name="complete_evaluation", actor=None)

    assert told(world.official.email) == (
        "Wniosek GMP/2026/FS1/0001 oceniony: średnia punktów 24,00",
        "Ocena merytoryczna wniosku GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) jest "
        "zamknięta: średnia punktów 24,00 (liczba ocen: 2; minimum w naborze, by otrzymać "
        "dotację: 10,00); wnioskowano o 3 000,00 zł. Podejmij decyzję: zatwierdź wniosek z "
        "przyznaną kwotą, umieść go na liście rezerwowej albo odrzuć, za każdym razem z "
        "uzasadnieniem.",
    )
    assert told(world.official.email, "en")[0] == (
        "Application GMP/2026/FS1/0001 evaluated: average score 24.00"
    )


def test_a_withdrawal_tells_the_handler_and_the_members_nothing_is_left_to_do(world):
    application = world.submitted()

    transition_apply(obj=application, name="withdraw", actor=world.resident)

    expected = (
        "Wniosek GMP/2026/FS1/0001 wycofany",
        "Wnioskodawca wycofał wniosek GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) w "
        "naborze „Fundusz sąsiedzki 2026”, w którym wnioskowano o 3 000,00 zł. Wniosek nie "
        "będzie już sprawdzany ani oceniany i nikt nie musi w jego sprawie nic więcej robić.",
    )
    assert told(world.official.email) == expected
    assert told("czlonek1@example.org") == expected


def test_a_revised_budget_asks_for_the_agreement(world):
    application = transition_apply(
        obj=world.evaluated(),
        name="approve",
        actor=world.official,
        payload={"amount": "1000.00", "justification": "J"},
    )
    category = application.call.cost_categories.first()
    application = services.application_save_draft(
        application=application,
        actor=world.resident,
        budget_lines=[
            {
                "category_id": category.pk,
                "description": "Sadzonki",
                "unit": "zestaw",
                "quantity": "4",
                "unit_cost": "300.00",
                "from_grant": "1000.00",
                "own_money": "200.00",
            }
        ],
    )

    transition_apply(obj=application, name="submit_revised_budget", actor=world.resident)

    assert told(world.official.email) == (
        "Wniosek GMP/2026/FS1/0001: budżet dostosowany do 1 000,00 zł",
        "Wnioskodawca dostosował budżet wniosku GMP/2026/FS1/0001 („Ogród społeczny na "
        "Zielonej”) do przyznanej kwoty 1 000,00 zł (całkowity koszt wynosi teraz "
        "1 200,00 zł); wniosek jest zatwierdzony. Przygotuj umowę.",
    )


def test_the_comment_period_of_an_offer_tells_the_applicant_and_then_the_handler(world, frozen_now):
    call = world.make_call(code="M19", procedure=Call.Procedure.SMALL_GRANT_19A)

    offer = transition_apply(
        obj=world.formally_accepted(call=call), name="deem_purposeful", actor=world.official
    )

    assert told(GRANTEE) == (
        "Oferta GMP/2026/M19/0001 opublikowana; uwagi można zgłaszać do 30 listopada 2026, 10:00",
        "Oferta GMP/2026/M19/0001 („Ogród społeczny na Zielonej”) została uznana za celową i "
        "opublikowana: każdy może zgłaszać do niej uwagi do 30 listopada 2026, 10:00 (art. "
        "19a). Nie musisz teraz nic robić: po tym terminie urząd zdecyduje o dotacji, a Ty "
        "dostaniesz wiadomość z decyzją.",
    )
    offer.public_comments.create(author_name="Sąsiad", text="Dobry pomysł.")
    frozen_now.move_to(offer.comment_period_ends + datetime.timedelta(minutes=1))

    transition_apply(obj=offer, name="end_comment_period", actor=None)

    assert told(world.official.email) == (
        "Oferta GMP/2026/M19/0001: koniec zbierania uwag, liczba uwag: 1",
        "Termin zgłaszania uwag do oferty GMP/2026/M19/0001 („Ogród społeczny na Zielonej”) "
        "upłynął 30 listopada 2026, 10:00; liczba zgłoszonych uwag: 1. Zapoznaj się z nimi "
        "na stronie oferty i podejmij decyzję: zatwierdź dotację (wnioskowano o 3 000,00 zł) "
        "albo odrzuć ofertę, z uzasadnieniem. Jeśli dotacja zostanie zatwierdzona, umowę "
        "zawiera się niezwłocznie (art. 19a).",
    )


def test_a_closed_call_counts_the_applications_to_check(world, frozen_now):
    world.submitted()
    frozen_now.move_to(world.call.closes_at + datetime.timedelta(minutes=1))

    transition_apply(obj=world.call, name="start_evaluation", actor=None)

    assert told(world.official.email) == (
        "Nabór „Fundusz sąsiedzki 2026” zamknięty, złożone wnioski: 1",
        "Przyjmowanie wniosków w naborze „Fundusz sąsiedzki 2026” zakończyło się 3 grudnia "
        "2026, 10:00. Złożone wnioski: 1, w tym czekające na ocenę formalną: 1. Oceń je "
        "formalnie (zatwierdź ocenę, skieruj do poprawy albo odrzuć); wnioski, które ją "
        "przejdą, trafią do oceny merytorycznej. Wersji roboczych niezłożonych w terminie nie "
        "można już złożyć.",
    )


def test_the_report_the_completion_and_the_closing_carry_their_figures(world):
    agreement = world.agreement_in_implementation()
    pay_the_tranche(world, agreement)
    lines = list(agreement.application.budget_lines.order_by("pk"))
    report = services.report_save(
        agreement=agreement,
        actor=world.resident,
        narrative="Zrobione.",
        expenses=[
            {
                "document_number": f"FV {i}",
                "document_date": datetime.date(2026, 12, 2),
                "issuer": "Sklep",
                "purpose": "Materiały",
                "budget_line_id": line.pk,
                "amount": amount,
                "from_grant": amount,
            }
            for i, (line, amount) in enumerate(
                zip(lines, (Decimal("2400.00"), Decimal("300.00")), strict=True), start=1
            )
        ],
    )

    report = transition_apply(obj=report, name="submit", actor=world.resident)

    assert told(world.official.email) == (
        "Sprawozdanie z umowy U/GMP/2026/FS1/0001 złożone: wydano 2 700,00 zł",
        "Sprawozdanie końcowe z umowy U/GMP/2026/FS1/0001 („Ogród społeczny na Zielonej”) "
        "zostało złożone 23 listopada 2026, 10:00; termin upływał 19 stycznia 2027. Wykazane "
        "wydatki: 2, z dotacji 2 700,00 zł, przy wypłaconych 3 000,00 zł. Sprawdź je: "
        "rozpocznij weryfikację, a następnie przyjmij sprawozdanie albo skieruj je do "
        "poprawy.",
    )
    report = transition_apply(obj=report, name="start_review", actor=world.official)
    transition_apply(obj=report, name="accept", actor=world.official)

    agreement = transition_apply(obj=agreement, name="complete", actor=world.official)

    assert told(GRANTEE) == (
        "Umowa U/GMP/2026/FS1/0001 zrealizowana",
        "Umowa U/GMP/2026/FS1/0001 na „Ogród społeczny na Zielonej” została zrealizowana: "
        "przyjęto jej sprawozdanie końcowe. Teraz nastąpi rozliczenie: dostaniesz "
        "wiadomość, czy jakakolwiek część z wypłaconych 3 000,00 zł podlega zwrotowi, w "
        "jakiej kwocie i w jakim terminie. Nie musisz teraz nic robić.",
    )
    agreement = transition_apply(
        obj=agreement, name="settle", actor=world.official, payload={"finding_date": "2026-12-10"}
    )
    [unused] = agreement.returns.all()
    services.return_record(
        ret=unused, actor=world.official, returned_on=datetime.date(2026, 11, 23)
    )

    transition_apply(obj=agreement, name="close", actor=world.official)

    assert told(GRANTEE) == (
        "Umowa U/GMP/2026/FS1/0001 zamknięta",
        "Umowa U/GMP/2026/FS1/0001 na „Ogród społeczny na Zielonej” została zamknięta: "
        "dotacja jest rozliczona. Kwotę do zwrotu, 300,00 zł, zwrócono w terminie.\n\nNie "
        "musisz już nic robić. Przechowuj dokumenty zadania (faktury, listy, zdjęcia) do "
        "31 grudnia 2031.",
    )


class TestAGroupsInvoice:
    @pytest.fixture
    def invoice(self, world):
        call = world.make_call(code="FO1", group_model=GroupModel.OPERATOR_PAYS)
        application = transition_apply(
            obj=world.draft(call=call), name="submit", actor=world.resident
        )
        agreement = approved_agreement(world, application)
        return group_invoice_submit(
            agreement=agreement,
            actor=world.resident,
            fields={
                "budget_line_id": agreement.application.budget_lines.order_by("pk").first().pk,
                "number": "FV 1/12",
                "issued_on": datetime.date(2026, 12, 2),
                "due_date": datetime.date(2026, 12, 9),
                "seller_name": "Szkółka Zielona",
                "seller_address": "ul. Handlowa 1, 00-950 Próbne",
                "seller_account": SELLER,
                "description": "Sadzonki i ziemia",
                "amount": Decimal("1200.00"),
            },
        )

    def test_approved_tells_the_group_it_is_paid_and_finance_by_when(self, world, invoice):
        transition_apply(obj=invoice, name="approve", actor=world.official)

        expected = (
            "Faktura FV 1/12 zatwierdzona: 1 200,00 zł dla Szkółka Zielona",
            "Faktura FV 1/12 od sprzedawcy Szkółka Zielona (Sadzonki i ziemia) na kwotę "
            "1 200,00 zł, rozliczana z dotacji z umowy U/GMP/2026/FO1/0001, została "
            f"zatwierdzona, a jej zapłata sprzedawcy (rachunek {SELLER}) została zlecona z "
            "terminem 9 grudnia 2026.\n\nGrupa: nie musisz nic robić; sprzedawcy zapłaci "
            "operator.\nKsięgowość: dołącz dyspozycję płatności do paczki przelewów tak, by "
            "została zapłacona do 9 grudnia 2026.",
        )
        assert told(GRANTEE) == expected
        assert told(world.finance.email) == expected

    def test_rejected_carries_the_reason(self, world, invoice):
        transition_apply(
            obj=invoice,
            name="reject",
            actor=world.official,
            payload={"reason": "Faktura wystawiona na inną osobę."},
        )

        assert told(GRANTEE) == (
            "Faktura FV 1/12 odrzucona",
            "Faktura FV 1/12 od sprzedawcy Szkółka Zielona (Sadzonki i ziemia) na kwotę "
            "1 200,00 zł została odrzucona: nie zostanie zapłacona z dotacji z umowy "
            "U/GMP/2026/FO1/0001.\n\nPowód:\nFaktura wystawiona na inną osobę.\n\nJeśli "
            "przyczynę da się usunąć, złóż poprawioną fakturę na stronie umowy; dotację trzeba "
            "wykorzystać do 31 grudnia 2026.",
        )

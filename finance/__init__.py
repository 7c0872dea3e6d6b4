"""Finance (księgowość): the budget classification and plan, payment orders and their
batches (Elixir-O bank files), and the settlement register with its exports.

Vocabulary:
- ``BudgetClassification``: a line of the budget classification (dział - section,
  rozdział - chapter, paragraf - paragraph) valid for one budget year; calls and
  purchases point at one.
- ``BudgetPlanLine``: what finance planned to spend on a classification line in a year;
  approvals and awards are checked against it (``services.budget.budget_check``).
- ``PaymentOrder`` (polecenie przelewu): money the organisation owes someone - a grant
  tranche or a purchase invoice - until it is paid.
- ``PaymentBatch`` (paczka przelewów): orders gathered from the queue, approved by a
  second finance user, sent to the bank as one file and settled item by item.
- ``Export``: a settlement register file built by the worker.

Layout: ``models``, ``workflow`` (the states of orders and batches), ``services/``
(every write: payment orders, ``batches``, ``budget``, ``classification``,
``exports``), ``selectors/`` (reads), ``rules`` (checks), ``settlements`` (the
register's rows), ``forms/``, ``views/`` with ``urls`` holding every address,
``api/``, ``tasks``, ``admin`` and ``demo/``.
"""

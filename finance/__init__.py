"""Finance (księgowość): budget classification and payment orders.

Vocabulary:
- ``BudgetClassification``: a line of the budget classification (dział - section,
  rozdział - chapter, paragraf - paragraph) valid for one budget year; calls and
  purchases point at one.
- ``PaymentOrder`` (polecenie przelewu): money the organisation owes someone - a grant
  tranche or a purchase invoice - until it is paid. Payment batches and bank files
  come with the finance issue.
"""

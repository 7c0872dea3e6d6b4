"""Users and organisations.

Vocabulary:
- ``User``: anyone who signs in, identified by e-mail. Applicants (wnioskodawcy) and
  suppliers (dostawcy) are users without a membership.
- ``Organisation``: a grantor or buyer - a municipality (gmina), an operator NGO that
  runs a fund for one, or another public body.
- ``Membership``: one role of one user in one organisation (official, evaluator,
  finance, unit head, organisation admin). A user may hold many.
- ``Representative``: a person who signs documents for an organisation.
"""

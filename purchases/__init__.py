"""Micro-purchases of social services under the procurement threshold (zamówienia
poniżej progu): needs, value estimation, quotes, award, acceptance, invoice.

Vocabulary:
- *Threshold* (``ThresholdSetting``): the net value from which the public procurement
  law applies (art. 2 ust. 1 pkt 1 Pzp), effective-dated.
- *Value band* (``ValueBand``): one row of an organisation's own regulation
  (regulamin): a range of aggregated net value, its procedure (direct order, price
  survey - rozeznanie cenowe, public inquiry - zapytanie ofertowe), how many suppliers
  to ask, the minimum number of offers, the publication period and the documents it
  requires; effective-dated.
- *Same-kind group* (``SameKindGroup``): CPV codes whose orders are added up in a
  financial year (art. 30 Pzp), named per organisation.
- *Aggregated value*: the sum, in one group and financial year, of every purchase past
  its draft and not cancelled (awarded value once awarded, estimate before) plus the
  purchase at hand. It picks the band; at or above the threshold the purchase is
  refused unless a unit head overrides it with a written justification.
- *Purchase* (``Purchase``, zamówienie): a need of a requesting unit, through quotes,
  award, execution, acceptance (odbiór) and invoice to payment.
- *Supplier* (``Supplier``, wykonawca), *invitation* (``Invitation``: a personal link
  to quote), *offer* (``Offer``, sealed until the deadline), *invoice* (``Invoice``),
  *annex* (``Annex``, aneks: raises the awarded value).
"""

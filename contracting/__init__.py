"""Multi-year contracting of social services (wieloletnie kontraktowanie usług
społecznych; DOMAIN.md section 9).

Vocabulary:
- *Model* (``ContractingModel``, model postępowania): a procedure preset an official
  picks when planning a task: Quality (Jakość), Efficiency (Efektywność) or
  Cooperation (Współpraca), each with its steps, documents and indicators. Data a
  municipality edits; the three are seeded by a migration.
- *Task* (zadanie): a service to contract: what, for whom, how many units a year, for
  how many years, in which area, under which model, with which organisation.
- *Efficiency analysis* (analiza efektywności): the options of doing the task (own
  unit, purchase, small grant, open competition, regranting) compared by cost per unit,
  social value and risk with the municipality's weights (``contracting.scoring``);
  decided with a decision note (PDF) and linked to what follows.
- *Pilot* (pilotaż): a short agreement or micro-purchase first; its evaluation decides
  whether a multi-year agreement may be concluded (or an official records why not).
- *Multi-year agreement* (umowa wieloletnia): up to the legal maximum of years
  (``AgreementTermLimit``, effective-dated), with a schedule per budget year: amount,
  tranches, spending deadline (31 December), partial report, yearly review, settlement
  and returns (art. 251 u.f.p.).
"""

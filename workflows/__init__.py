"""The workflow engine every process shares.

Vocabulary:
- *Workflow object*: a model row that moves through states (an application, a
  purchase, a payment batch). It mixes in ``WorkflowModel`` and declares its
  ``state`` with ``StateField``; nothing may assign the state directly.
- *Transition*: a method declared with ``@workflow_transition``: source and target
  states, a label, who may run it (a ``Rule``), guards that may refuse with a reason,
  an optional payload form, and side effects queued after commit.
- *Rule*: a predicate on (object, actor) that says who may run a transition:
  ``has_role(Role.OFFICIAL) & is_user("applicant")``. The actor ``None`` is the system
  itself (timers); only rules that include ``SYSTEM`` admit it. A transition declared
  ``system_only`` is run only by the system or by a service as a step of its own work
  (``transition_apply(..., system=True)``); pages and the API refuse it to people.
- *Guard*: a check on the object that passes or refuses with a sentence a user can
  act on ("The call closed on ...").
- *Transition log*: django-fsm-log's ``StateLog`` row per applied transition (object,
  transition, source, target, actor, time, comment) with its validated payload in
  ``TransitionPayload``, written by the engine itself (``log.transition_log_write``);
  both append-only on PostgreSQL.
- *Process*: an app with workflows (grants, purchases) that declares in ``hooks.py``
  what it offers the shared parts (``processes``).

``engine.transition_apply`` is the one function that performs transitions.
Timers (deadlines on states, reminders, timed transitions) are a later layer: a timer
calls ``transition_apply`` with ``actor=None`` on a transition whose rule admits
``SYSTEM``, so the engine needs no change for them.
"""

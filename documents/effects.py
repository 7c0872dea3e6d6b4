"""Rendering a document when a workflow transition completes.

In a workflow, declare::

    @workflow_transition(
        ...,
        effects=[render_document_effect("agreement", "agreement.html",
                                        "grants.documents.agreement_context")],
    )

The engine runs the effect in the transition's transaction: it builds the document's
context there (the data of that moment) and writes ``documents.tasks.render_document``
into the outbox, published after the commit (``services.document_render_later``).
"""

from collections.abc import Callable

from django.utils.module_loading import import_string

from workflows.transitions import Effect, TransitionEvent, event_object

from .services import document_render_later


def dotted_path(builder: str | Callable) -> str:
    """The dotted path of a context builder given as a path or as a module-level
    function (which must be importable by that path: the worker imports it)."""
    if isinstance(builder, str):
        return builder
    path = f"{builder.__module__}.{builder.__qualname__}"
    try:
        importable = import_string(path) is builder
    except ImportError:
        importable = False
    if not importable:
        raise ValueError(f"{builder!r} is not importable as {path}.")
    return path


def render_document_effect(
    kind: str, template_name: str, context_builder: str | Callable
) -> Effect:
    """An effect that renders document ``kind`` of the transitioned object from
    ``template_name`` with the context ``context_builder(owner)`` returns in the
    transition's transaction, as the actor who ran the transition."""
    builder_path = dotted_path(context_builder)

    def run(event: TransitionEvent) -> None:
        owner = event_object(event)
        document_render_later(
            owner=owner,
            kind=kind,
            template_name=template_name,
            context_builder=builder_path,
            actor_id=event.actor_id,
        )

    return Effect(run=run, label=f"render {kind}")

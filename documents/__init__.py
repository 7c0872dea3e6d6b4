"""Documents: PDF rendering and the immutable document archive.

Vocabulary:
- *Owner*: the row a document belongs to (an application, an agreement, a purchase),
  any model; its model decides who may download its documents through the classmethod
  ``documents_visible_to(user) -> QuerySet`` (``selectors``).
- *Kind*: what the document is for its owner ("agreement", "decision"), a slug.
- *Document*: one stored rendering, numbered by *version* from 1 per owner and kind,
  with the SHA-256 of its bytes and of the data it was rendered from. Never changed:
  new data makes a new version, identical data makes nothing (``services``).
- *Document template*: a Django template under ``documents/`` extending
  ``documents/base.html``; an organisation may override it (``rendering``).
- *Context builder*: a function ``(owner) -> dict`` of plain values that a render
  task imports by dotted path, so tasks carry ids, never objects (``tasks``).

A transition renders a document on commit with ``effects.render_document_effect``.
"""

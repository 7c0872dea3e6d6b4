"""A small workflow used only by the engine's tests: a ticket that a requester files,
an official of the ticket's organisation reviews, and the system may expire."""

"""Documents: PDF rendering and the immutable document archive.

Arrives with its own issue.
"""

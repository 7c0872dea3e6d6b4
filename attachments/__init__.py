"""Attachments (załączniki): files that people attach to an object of a process, one
capability shared by every process.

Vocabulary. The *owner* is the object a file belongs to (an application, a report, a
supplier's offer); an owning model says who sees its files
(``attachments_visible_to(user)``, a queryset of owners, the same rule as its own page:
an offer's files only once the offers are opened) and who may change them
(``attachments_editable_by(user)``: the applicant while a draft or a correction is
open; nobody for an offer, whose files come with it: ``attachment_add_sealed``). The
*purpose* says why it was attached ("correction": answering a correction request;
"photo" of a report). A file is judged by its content, never its name
(``content.py``), against one size limit (``ATTACHMENT_MAX_BYTES``), and scanned for
viruses by a ClamAV daemon when ``ATTACHMENTS_CLAMD`` names one (``scanning.py``).
Every upload, deletion and download is in the audit trail.
"""

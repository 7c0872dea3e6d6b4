"""Pages of attachments: download, and the upload and delete forms that an owner's page
includes (``attachments/includes/attachments.html``). A refused file is said in a
message; the page it came from is shown again with nothing else changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.errors import DomainError

from . import selectors, services


def _back(request, owner):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(owner.get_absolute_url())


@login_required
def download(request, pk):
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None:
        raise Http404
    services.attachment_download_record(attachment=attachment, actor=request.user)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def upload(request, owner, owner_id):
    found = selectors.owner_for(request.user, owner, owner_id)
    if found is None:
        raise Http404
    upload_ = request.FILES.get("attachment")
    if upload_ is None:
        messages.error(request, _("Choose a file to attach."))
        return _back(request, found)
    try:
        attachment = services.attachment_add(
            owner=found,
            actor=request.user,
            upload=upload_,
            purpose=request.POST.get("purpose", ""),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s is attached.") % {"name": attachment.original_name})
    return _back(request, found)


@login_required
@require_POST
def delete(request, pk):
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None:
        raise Http404
    owner = attachment.owner
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s is deleted.") % {"name": attachment.original_name})
    return _back(request, owner)

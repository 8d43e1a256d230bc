"""Download, upload and delete attachments. Every view finds the owner through
`Owner.objects.for_user(request.user)`: an attachment of a record outside the user's scope is a
404, whatever its id."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from ..generic import permission_name
from .model import Attachment
from .registry import get_attachable
from .services import attach, delete_attachment, files_atomic, safe_name


def scoped_owner(user, label: str, object_id: str):
    """(registry entry, owner) of an attachable record in the user's scope, else Http404."""
    entry = get_attachable(label or "")
    if entry is None:
        raise Http404
    owner = entry.model.objects.for_user(user).filter(pk=object_id).first()
    if owner is None:
        raise Http404
    return entry, owner


def scoped_attachment(user, pk):
    attachment = Attachment.objects.filter(pk=pk).select_related("content_type").first()
    if attachment is None:
        raise Http404
    entry, owner = scoped_owner(
        user,
        f"{attachment.content_type.app_label}.{attachment.content_type.model}",
        attachment.object_id,
    )
    return attachment, entry, owner


def back_url(request, owner) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    get_url = getattr(owner, "get_absolute_url", None)
    return get_url() if get_url else "/"


class AttachmentView(View):
    """The file, to users who may see its owner; images and PDFs inline, others as a download."""

    queryset = Attachment.objects.all()

    def get(self, request, pk):
        attachment, entry, owner = scoped_attachment(request.user, pk)
        if not request.user.has_perm(permission_name(entry.model, "view")):
            raise PermissionDenied
        try:
            handle = open(attachment.path, "rb")  # noqa: SIM115 - FileResponse closes it
        except FileNotFoundError:
            raise Http404 from None
        inline = attachment.is_image or attachment.media_type == "application/pdf"
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=safe_name(attachment.original_name),
            content_type=attachment.media_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=0"
        return response


class AttachmentUploadView(View):
    """POST `owner` (model label), `object_id`, `files` (one or more): attach them all or none."""

    def post(self, request):
        entry, owner = scoped_owner(
            request.user, request.POST.get("owner", ""), request.POST.get("object_id", "")
        )
        if not request.user.has_perm(entry.permission):
            raise PermissionDenied
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, _("请选择要上传的文件。"))
            return HttpResponseRedirect(back_url(request, owner))
        try:
            with files_atomic():
                for upload in files:
                    attach(owner, upload, request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已上传 %(n)d 个附件。") % {"n": len(files)})
        return HttpResponseRedirect(back_url(request, owner))


class AttachmentDeleteView(View):
    """POST: delete the attachment (audited), for users who may change its owner."""

    queryset = Attachment.objects.all()

    def post(self, request, pk):
        attachment, entry, owner = scoped_attachment(request.user, pk)
        if not request.user.has_perm(entry.permission):
            raise PermissionDenied
        name = attachment.original_name
        delete_attachment(attachment)
        messages.success(request, _("已删除附件：%(name)s") % {"name": name})
        return HttpResponseRedirect(back_url(request, owner))

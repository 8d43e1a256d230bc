"""`{% attachments_section obj %}`: a record's attachments with download links, delete buttons and
an upload form (for users who may change the record)."""

from django import template

from ..attachments.model import Attachment
from ..attachments.registry import get_attachable
from ..attachments.services import max_bytes
from ..attachments.sniff import KINDS, human_size

register = template.Library()


@register.inclusion_tag("includes/attachments.html", takes_context=True)
def attachments_section(context, obj, attachments=None):
    request = context["request"]
    entry = get_attachable(obj._meta.label_lower)
    can_change = entry is not None and request.user.has_perm(entry.permission)
    if attachments is None:
        attachments = Attachment.objects.of(obj) if entry is not None else []
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "object": obj,
        "label": obj._meta.label_lower,
        "attachments": attachments,
        "can_change": can_change,
        "accept": ",".join(ext for kind in KINDS for ext in kind.extensions) + ",image/*",
        "limit": human_size(max_bytes()),
        "next": request.get_full_path(),
    }

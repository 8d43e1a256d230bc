"""Files attached to records (photos of a visit, evidence of a plan measure, ...).

- `model.Attachment` points at its owner with a generic foreign key and is audited with the owner
  as subject. The file lives on disk under `BANGFU_ATTACHMENT_DIR` (default
  `BANGFU_VAR_DIR/attachments/`) with a generated name; the user's file name is only shown.
- Only models on the allow-list may own attachments: `register_attachable(Model, permission)`
  from the owning app's `AppConfig.ready()`. `permission` is what a user needs to add or delete an
  attachment (e.g. "visits.change_visit"); viewing needs the owner's view permission.
- `services.attach()` checks the size (`BANGFU_ATTACHMENT_MAX_BYTES`, default 10 MB) and the type
  by content (`sniff.check_upload`: JPEG, PNG, PDF, .docx, .xlsx) against the claimed extension
  and content type, writes the file and the row; `services.files_atomic()` is a transaction that
  also removes the files written in it when it fails.
- Views (`views.py`, URLs in core/urls.py): download (`core:attachment`, the owner is looked up
  with `Owner.objects.for_user(user)`: out of scope is a 404), upload (one view for every
  attachable model), delete. `{% attachments_section obj %}` (templatetags/attachments.py) lists
  a record's attachments with an upload form.
"""

from .registry import attachable_models, is_attachable, register_attachable  # noqa: F401

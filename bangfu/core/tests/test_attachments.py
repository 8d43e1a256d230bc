"""core.attachments: type and size checks, storage, scope of download/upload/delete, audit."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.core.attachments import register_attachable
from bangfu.core.attachments.registry import unregister_attachable
from bangfu.core.attachments.services import attach, delete_attachment, files_atomic, safe_name
from bangfu.core.attachments.testing import (
    docx_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    png_upload,
    upload,
    xlsx_bytes,
    zip_bytes,
)
from bangfu.core.models import Attachment, AuditEntry
from bangfu.registry.models import Household


@pytest.fixture
def store(settings, tmp_path):
    settings.BANGFU_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.BANGFU_ATTACHMENT_MAX_BYTES = 1024
    register_attachable(Household)
    yield tmp_path / "attachments"
    unregister_attachable(Household)


def files_in(directory):
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def test_a_png_is_stored_under_a_generated_name_and_audited(store, household, users):
    content = png_bytes()
    attachment = attach(
        household, upload("../../etc/照片.png", content, "image/png"), users["admin"]
    )
    assert attachment.original_name == "照片.png"
    assert attachment.media_type == "image/png"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert "照片" not in attachment.stored_name and ".." not in attachment.stored_name
    assert attachment.path.read_bytes() == content
    assert attachment.path.is_relative_to(store)
    entry = AuditEntry.objects.for_subject(household).get(object_type="core.attachment")
    assert entry.after["original_name"] == "照片.png"


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("a.jpg", jpeg_bytes(), "image/jpeg"),
        ("a.JPEG", jpeg_bytes(), "image/pjpeg"),
        ("a.pdf", pdf_bytes(), "application/pdf"),
        ("a.docx", docx_bytes(), "application/octet-stream"),
        ("a.xlsx", xlsx_bytes(), ""),
    ],
)
def test_accepted_kinds(store, household, name, content, content_type):
    attach(household, upload(name, content, content_type))
    assert Attachment.objects.of(household).count() == 1


@pytest.mark.parametrize(
    "name, content, content_type, reason",
    [
        ("伪装.png", pdf_bytes(), "image/png", "不是其扩展名 .png 所表示的类型"),
        ("伪装.jpg", png_bytes(), "image/jpeg", "不是其扩展名 .jpg 所表示的类型"),
        ("表格.xlsx", docx_bytes(), "", "不是其扩展名 .xlsx 所表示的类型"),
        ("压缩.docx", zip_bytes("other.txt"), "", "不是其扩展名 .docx 所表示的类型"),
        ("坏的.docx", b"PK\x03\x04garbage", "", "不是其扩展名 .docx 所表示的类型"),
        ("声明.png", png_bytes(), "application/pdf", "声明的类型 application/pdf 与其内容"),
        ("脚本.exe", b"MZ\x90\x00", "application/octet-stream", "类型不允许上传"),
        ("无扩展名", png_bytes(), "image/png", "类型不允许上传"),
        ("空.png", b"", "image/png", "是空文件"),
    ],
)
def test_refused_files_name_the_file_and_reason_and_write_nothing(
    store, household, name, content, content_type, reason
):
    with pytest.raises(ValidationError) as info:
        attach(household, upload(name, content, content_type))
    message = " ".join(info.value.messages)
    assert name in message and reason in message
    assert not Attachment.objects.exists()
    assert files_in(store) == []


def test_too_big_names_the_limit(store, household):
    with pytest.raises(ValidationError) as info:
        attach(household, upload("大.png", png_bytes() + b"\0" * 2000, "image/png"))
    assert "不能超过 1 KB" in info.value.messages[0]
    assert "大.png" in info.value.messages[0]
    assert files_in(store) == []


def test_a_failed_transaction_removes_the_written_file(store, household):
    with pytest.raises(RuntimeError), files_atomic():
        attach(household, png_upload())
        assert len(files_in(store)) == 1
        raise RuntimeError("later step failed")
    assert not Attachment.objects.exists()
    assert files_in(store) == []


def test_only_registered_models_may_own_attachments(store, household):
    unregister_attachable(Household)
    with pytest.raises(ValidationError, match="不能添加附件"):
        attach(household, png_upload())


def test_delete_is_audited_and_removes_the_file_after_commit(
    store, household, django_capture_on_commit_callbacks
):
    attachment = attach(household, png_upload())
    path = attachment.path
    with django_capture_on_commit_callbacks(execute=True):
        delete_attachment(attachment)
    assert not path.exists()
    assert AuditEntry.objects.for_subject(household).filter(action="delete").exists()


def test_safe_name():
    assert safe_name('..\\..\\a"b<c>.png') == "abc.png"
    assert safe_name("") == safe_name("..") == safe_name("a/..") == "file"
    assert len(safe_name("长" * 300 + ".pdf")) == 255


# --- views ----------------------------------------------------------------------------------


def test_download_in_scope_only(store, users, household, other_household, login):
    inside = attach(household, png_upload("门牌 1.png"))
    outside = attach(other_household, png_upload())
    client = login(users["village"])
    response = client.get(reverse("attachment", kwargs={"pk": inside.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E9%97%A8%E7%89%8C%201.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(reverse("attachment", kwargs={"pk": outside.pk})).status_code == 404
    assert client.get(reverse("attachment", kwargs={"pk": 999999})).status_code == 404


def test_documents_are_downloads_not_inline(store, users, household, login):
    doc = attach(household, upload("说明.docx", docx_bytes()))
    response = login(users["county"]).get(reverse("attachment", kwargs={"pk": doc.pk}))
    assert response["Content-Disposition"].startswith("attachment;")


def test_scoped_queryset(store, users, household, other_household):
    inside = attach(household, png_upload())
    attach(other_household, png_upload())
    assert list(Attachment.objects.for_user(users["village"])) == [inside]
    assert Attachment.objects.for_user(users["county"]).count() == 2
    assert Attachment.objects.for_user(users["other_county"]).count() == 0


def test_upload_view(store, users, household, other_household, login):
    client = login(users["village"])
    url = reverse("attachment_upload")
    page = reverse("registry:household", kwargs={"pk": household.pk})
    data = {"owner": "registry.household", "object_id": household.pk, "next": page}
    response = client.post(url, {**data, "files": [png_upload("a.png"), png_upload("b.png")]})
    assert response.status_code == 302 and response["Location"] == page
    assert sorted(a.original_name for a in Attachment.objects.of(household)) == ["a.png", "b.png"]
    # one bad file among good ones: none is written, the message names it
    response = client.post(
        url,
        {**data, "files": [png_upload("c.png"), upload("d.png", pdf_bytes(), "image/png")]},
        follow=True,
    )
    assert "d.png" in response.content.decode()
    assert Attachment.objects.of(household).count() == 2
    assert len(files_in(store)) == 2
    # out of scope: 404, and an unregistered model: 404
    response = client.post(
        url,
        {"owner": "registry.household", "object_id": other_household.pk, "files": [png_upload()]},
    )
    assert response.status_code == 404
    response = client.post(url, {"owner": "accounts.user", "object_id": users["village"].pk})
    assert response.status_code == 404


def test_viewer_may_download_but_not_upload_or_delete(store, users, household, login):
    attachment = attach(household, png_upload())
    client = login(users["viewer"])
    assert client.get(reverse("attachment", kwargs={"pk": attachment.pk})).status_code == 200
    response = client.post(
        reverse("attachment_upload"),
        {"owner": "registry.household", "object_id": household.pk, "files": [png_upload()]},
    )
    assert response.status_code == 403
    delete = reverse("attachment_delete", kwargs={"pk": attachment.pk})
    assert client.post(delete).status_code == 403
    assert Attachment.objects.count() == 1


def test_delete_view(store, users, household, other_household, login):
    inside = attach(household, png_upload())
    outside = attach(other_household, png_upload())
    client = login(users["village"])
    assert client.post(reverse("attachment_delete", kwargs={"pk": outside.pk})).status_code == 404
    response = client.post(reverse("attachment_delete", kwargs={"pk": inside.pk}))
    assert response.status_code == 302
    assert list(Attachment.objects.all()) == [outside]


# --- properties -----------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bangfu.core.attachments.sniff import KINDS, check_upload  # noqa: E402

MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-", b"PK\x03\x04")


@settings(max_examples=200, deadline=None)
@given(
    content=st.binary(min_size=1, max_size=64).filter(lambda b: not b.startswith(MAGIC)),
    extension=st.sampled_from([ext for kind in KINDS for ext in kind.extensions]),
)
def test_bytes_without_a_known_signature_are_never_accepted(content, extension):
    with pytest.raises(ValidationError):
        check_upload(upload(f"x{extension}", content), 10_000)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400) | st.sampled_from(["..", ".", "a/..", "../..", "..\\"]))
def test_safe_names_are_never_paths(name):
    result = safe_name(name)
    assert result and len(result) <= 255
    assert "/" not in result and "\\" not in result and result not in (".", "..")
    assert all(ch.isprintable() for ch in result)

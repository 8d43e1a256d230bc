"""A measure's evidence files (photos, acceptance documents) through core.attachments: uploaded
on the measure page, listed there, downloadable only inside the user's scope."""

import pytest
from django.urls import reverse

from bangfu.core.attachments.testing import pdf_bytes, png_upload, upload
from bangfu.core.models import Attachment
from bangfu.plans import testing


@pytest.fixture
def store(settings, tmp_path):
    settings.BANGFU_ATTACHMENT_DIR = tmp_path / "attachments"
    return tmp_path / "attachments"


def test_evidence_file_on_a_measure(store, world, users, household, login):
    measure = testing.make_measure(testing.make_plan(household))
    page = reverse("plans:measure", kwargs={"pk": measure.pk})
    village = login(users["village"])
    assert "上传" in village.get(page).content.decode()
    response = village.post(
        reverse("attachment_upload"),
        {
            "owner": "plans.measure",
            "object_id": measure.pk,
            "next": page,
            "files": [png_upload("验收照片.png")],
        },
    )
    assert response.status_code == 302
    (attachment,) = Attachment.objects.of(measure)
    assert "验收照片.png" in village.get(page).content.decode()
    download = reverse("attachment", kwargs={"pk": attachment.pk})
    assert village.get(download).status_code == 200
    # a file that is not what it claims is refused and nothing is added
    village.post(
        reverse("attachment_upload"),
        {
            "owner": "plans.measure",
            "object_id": measure.pk,
            "next": page,
            "files": [upload("假照片.png", pdf_bytes(), "image/png")],
        },
    )
    assert Attachment.objects.of(measure).count() == 1
    # the other village's user cannot reach the measure, nor its file
    other = login(users["other_village"])
    assert other.get(download).status_code == 404

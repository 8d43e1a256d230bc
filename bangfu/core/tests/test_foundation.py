import pytest

from bangfu.core.models import AuditEntry, AuditLogImmutable
from bangfu.core.privacy import mask_id_number, mask_phone
from bangfu.registry.models import Household, Member


def test_masking_keeps_region_and_check_digits():
    assert mask_id_number("45142319900101123X") == "4514**********123X"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.django_db
def test_scope_is_the_users_subtree(users, household, other_household, far_household):
    assert set(Household.objects.for_user(users["village"])) == {household}
    assert set(Household.objects.for_user(users["county"])) == {household, other_household}
    assert Household.objects.for_user(users["admin"]).count() == 3
    assert Member.objects.for_user(users["other_county"]).count() == far_household.members.count()


@pytest.mark.django_db
def test_every_registry_save_is_audited(household):
    household.phone = "13900000000"
    household.save()
    entry = AuditEntry.objects.for_subject(household).filter(action="update").get()
    assert entry.before["phone"] != "13900000000"
    assert entry.after["phone"] == "13900000000"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db
def test_chinese_is_the_default_whatever_the_browser_says(users, login):
    client = login(users["village"])
    page = client.get("/registry/households/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-CN">' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/registry/households/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.django_db
def test_not_found_and_forbidden_pages_speak_chinese(users, other_household, login, settings):
    settings.DEBUG = False
    client = login(users["village"])
    page = client.get(f"/registry/households/{other_household.pk}/")
    assert page.status_code == 404
    assert "不在您负责的区域内" in page.content.decode()
    assert other_household.household_no not in page.content.decode()
    client = login(users["viewer"])
    page = client.get("/registry/households/add/")
    assert page.status_code == 403
    assert "无权操作" in page.content.decode()


@pytest.mark.django_db
def test_audit_references_still_protect_the_batch_and_forget_a_deleted_user(users, household):
    """The audit log's user and batch columns have no database constraint (import speed);
    Django's deletion rules still apply: a batch with entries stays, a user's entries stay."""
    from django.db.models import ProtectedError

    from bangfu.core.audit import audit_context
    from bangfu.core.models import ImportBatch

    user = users["village"]
    batch = ImportBatch.objects.create(kind="registry", filename="x.csv", user=user)
    with audit_context(user=user, import_batch=batch):
        household.phone = "13900000001"
        household.save()
    entry = AuditEntry.objects.for_subject(household).get(action="update")
    assert (entry.user_id, entry.import_batch_id) == (user.pk, batch.pk)
    with pytest.raises(ProtectedError):
        batch.delete()
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.user_id is None and entry.username == user.username

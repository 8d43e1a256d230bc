"""The set-based write helpers of imports: id ranges, id allocation, CREATE audit entries."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from bangfu.core.audit import audit_context, snapshot
from bangfu.core.imports import bulk
from bangfu.core.models import AuditEntry


def test_id_ranges_are_sorted_runs_of_consecutive_values():
    assert bulk.id_ranges([]) == []
    assert bulk.id_ranges([7]) == [(7, 7)]
    assert bulk.id_ranges([5, 3, 4, 10, 12, 11, 20]) == [(3, 5), (10, 12), (20, 20)]


@pytest.mark.django_db
def test_allocated_ids_are_fresh_and_distinct(regions):
    with transaction.atomic():
        first = bulk.allocate_ids(AuditEntry, 5)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(pk=pk, source="import", action="create", object_type="x", object_id="1")
                for pk in first
            ]
        )
        second = bulk.allocate_ids(AuditEntry, 3)
    assert len(set(first)) == 5 and len(set(second)) == 3
    assert min(second) > max(first)
    assert bulk.allocate_ids(AuditEntry, 0) == []


@pytest.mark.django_db
def test_audit_created_writes_one_entry_per_id_even_with_gaps(regions):
    # The audit table itself serves as the model with integer keys: entries of one id set.
    with transaction.atomic(), audit_context(source="import"):
        ids = bulk.allocate_ids(AuditEntry, 4)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    pk=pk, source="import", action="update", object_type="y", object_id=str(pk)
                )
                for pk in ids
            ]
        )
        chosen = [ids[0], ids[2], ids[3]]  # not contiguous
        if connection.vendor == "sqlite":
            chosen = ids[1:]  # SQLite ids are always allocated contiguously
        written = bulk.audit_created(
            AuditEntry,
            chosen,
            ("object_type", "object_id"),
            subject_type="core.auditentry",
            subject_id_sql="t.id",
            repr_sql="t.object_id",
        )
    assert written == 3
    created = AuditEntry.objects.filter(action="create", subject_type="core.auditentry")
    assert sorted(int(e.object_id) for e in created) == sorted(chosen)
    for e in created:
        source = AuditEntry.objects.get(pk=int(e.object_id))
        assert e.after == snapshot(source, ("object_type", "object_id"))


AUDIT_COLUMNS = (
    "source",
    "action",
    "object_type",
    "object_id",
    "subject_type",
    "subject_id",
    "username",
    "request_id",
    "object_repr",
)


def _audit_rows(names, source="import"):
    from django.utils import timezone

    now = bulk.db_value(timezone.now())
    return [(now, source, "create", "x", name, "s", "1", "", "", "") for name in names]


def _insert_audit_rows(rows):
    bulk.insert(AuditEntry._meta.db_table, bulk.columns(AuditEntry, ("time", *AUDIT_COLUMNS)), rows)


@pytest.mark.django_db
def test_background_writes_have_all_run_in_order_when_the_block_ends(regions):
    with transaction.atomic(), bulk.background_writes() as writer:
        assert (writer is not None) == (connection.vendor == "postgresql")
        for n in range(20):
            _insert_audit_rows(_audit_rows([f"{n}-a", f"{n}-b"]))
        # A read between queued writes sees the database as it is; disjoint rows only.
        AuditEntry.objects.filter(object_id="none").count()
    ids = list(AuditEntry.objects.filter(object_type="x").order_by("id").values_list("object_id"))
    assert [i for (i,) in ids] == [f"{n}-{s}" for n in range(20) for s in "ab"]


@pytest.mark.django_db(transaction=True)
def test_an_error_in_a_background_write_is_raised_and_nothing_is_written(regions):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        with transaction.atomic(), bulk.background_writes():
            _insert_audit_rows(_audit_rows(["first"]))
            _insert_audit_rows(_audit_rows(["bad"], source=None))  # NOT NULL violated
            _insert_audit_rows(_audit_rows(["after"]))
    assert not AuditEntry.objects.filter(object_type="x").exists()
    # The connection is usable again and back in autocommit.
    assert connection.get_autocommit()
    _insert_audit_rows(_audit_rows(["later"]))
    later = AuditEntry.objects.filter(object_type="x").values_list("object_id", flat=True)
    assert list(later) == ["later"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_background_write_is_the_error_even_when_a_later_read_fails_first(regions):
    """A read of the caller after a queued write failed meets an aborted transaction; the error
    raised is still the write's, the cause a user can act on."""
    import time

    from django.db import IntegrityError

    if connection.vendor != "postgresql":
        pytest.skip("the background writer exists on PostgreSQL only")
    with pytest.raises(IntegrityError):
        with transaction.atomic(), bulk.background_writes() as writer:
            _insert_audit_rows(_audit_rows(["bad"], source=None))
            for _ in range(500):
                if writer.error is not None:
                    break
                time.sleep(0.01)
            AuditEntry.objects.count()  # "current transaction is aborted"
    assert not AuditEntry.objects.filter(object_type="x").exists()

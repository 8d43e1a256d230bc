"""Set-based writes for imports: id allocation, bulk INSERT (COPY on PostgreSQL, executemany on
SQLite), bulk UPDATE and audit entries written as rows.

Django's `bulk_create` builds a model instance per row and, on SQLite, splits inserts into
batches of a few dozen rows (999 parameters); at a county's size that alone is most of the
import's time. These helpers write plain tuples instead. Ids are allocated up front (sequence
values on PostgreSQL, MAX(id) under the write lock on SQLite) so that child rows can point at
their parents without reading anything back.

`AuditWriter` is the row-level equivalent of `core.audit.entry()` + `bulk_record()`: it takes
the actor from the same audit context and fills the same columns.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone

from ..audit import current_context, to_json
from ..models import AuditEntry


class _RawCursor:
    """A psycopg cursor with the `.cursor` attribute of Django's cursor wrapper, so that the
    write functions below run unchanged on the background writer's cursor."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor

    def __getattr__(self, name):
        return getattr(self.cursor, name)


class BackgroundWriter:
    """Runs write statements on the current PostgreSQL connection from a second thread.

    The merge of an import alternates Python work (building a chunk's rows) with statements
    the server works on for a while (COPY, the INSERT … SELECT of audit entries, index and
    trigger work). With the writes handed to this thread, the next chunk is prepared while
    the server still writes the previous one: the two cores of a small server both work.

    Same connection, same transaction: psycopg serialises statements with its connection lock,
    and the statements run in the order they were submitted. The caller's reads (existing rows
    of the next chunk, id allocation) may run between two queued writes, so only writes whose
    outcome those reads do not depend on may be submitted (the import's chunks are disjoint).
    The first error stops the writer: the remaining writes are skipped and the error is raised
    in the caller at its next submit or at the end, inside its transaction, which then rolls
    back as before. The writer has always finished when `background_writes()` returns.
    """

    def __init__(self, max_pending: int = 8) -> None:
        connection.ensure_connection()
        self._raw = connection.connection
        # Database errors reach the caller as Django's (IntegrityError, …), as without it.
        self._wrap_errors = connection.wrap_database_errors
        self._jobs: queue.Queue = queue.Queue(maxsize=max_pending)
        self._error: BaseException | None = None
        self._abandon = False
        self._thread = threading.Thread(target=self._work, name="bangfu-bulk-writer", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is not None or self._abandon:
                continue
            try:
                with self._wrap_errors, self._raw.cursor() as cur:
                    job(_RawCursor(cur))
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc

    def submit(self, job: Callable[[object], object]) -> None:
        self.raise_error()
        self._jobs.put(job)

    @property
    def error(self) -> BaseException | None:
        return self._error

    def raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self, abandon: bool = False) -> None:
        """Wait for the queued writes (or skip them with `abandon`) and stop the thread."""
        self._abandon = abandon
        self._jobs.put(None)
        self._thread.join()


_background: contextvars.ContextVar[BackgroundWriter | None] = contextvars.ContextVar(
    "bangfu_bulk_background", default=None
)


@contextlib.contextmanager
def background_writes() -> Iterator[BackgroundWriter | None]:
    """Inside a transaction: run `insert`, `update` and `audit_created` of this block in a
    background writer (PostgreSQL only; elsewhere they run at once, as outside the block).

    Only for writes that later statements of the block do not read back; every queued write
    has run (or an error is raised) when the block ends."""
    if connection.vendor != "postgresql" or _background.get() is not None:
        yield None
        return
    writer = BackgroundWriter()
    token = _background.set(writer)
    try:
        yield writer
    except BaseException as exc:
        writer.close(abandon=True)
        if writer.error is not None and writer.error is not exc:
            # The caller's own statement failed because a queued write had already aborted the
            # transaction ("current transaction is aborted"): the write's error is the cause.
            raise writer.error from exc
        raise
    else:
        writer.close()
        writer.raise_error()
    finally:
        _background.reset(token)


def _execute(work: Callable[[object], object]):
    """Run `work(cursor)` now, or queue it on the active background writer (returns None)."""
    writer = _background.get()
    if writer is not None:
        writer.submit(work)
        return None
    with connection.cursor() as cur:
        return work(cur)


def columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Database column names for field names or attnames of `model`."""
    by_name = {}
    for field in model._meta.concrete_fields:
        by_name[field.name] = by_name[field.attname] = field.column
    return [by_name[name] for name in names]


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`; call inside the transaction that inserts them."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The sequence is looked up once: inside the select list pg_get_serial_sequence()
            # would run again for every one of the `count` rows.
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cur.fetchone()[0]
            cur.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
            )
            return [r[0] for r in cur.fetchall()]
        cur.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        start = cur.fetchone()[0] + 1
        if connection.vendor == "sqlite":
            # Keep AUTOINCREMENT's counter ahead of the ids handed out here.
            cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cur.fetchone()
            if row and row[0] >= start:
                start = row[0] + 1
        return list(range(start, start + count))


def insert(table: str, cols: Sequence[str], rows: list[tuple]) -> None:
    """INSERT the rows (tuples in `cols` order) into `table` in as few statements as possible."""
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
    if connection.vendor == "postgresql":
        sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"

        def work(cur) -> None:
            with cur.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(cols))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"

        def work(cur) -> None:
            cur.executemany(sql, rows)

    _execute(work)


def insert_objects(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT new model instances with `insert` (COPY / executemany) instead of `bulk_create`,
    whose SQL compilation is most of the cost at thousands of rows: ids allocated up front and
    set on the instances (which are then saved instances), every concrete field's value as
    `save()` would store it (`pre_save`, so auto_now fields too). No signals, no `save()`
    overrides: the caller does what those would (audit rows, maintained totals)."""
    if not objs:
        return
    fields = model._meta.concrete_fields
    for obj, pk in zip(objs, allocate_ids(model, len(objs)), strict=True):
        obj.pk = pk
    rows = [
        tuple(db_value(f.get_db_prep_save(f.pre_save(obj, True), connection)) for f in fields)
        for obj in objs
    ]
    insert(model._meta.db_table, [f.column for f in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def clean_new(obj: models.Model) -> None:
    """`full_clean()` of a new record of an import's batch: the checks and messages of a page —
    its fields and the model's `clean()` — except the existence query of each foreign key that
    is set (the import resolved it from the database, one scoped query per column) and the
    unique and constraint queries (a batch writer checks those for the whole batch, or the
    database does and the import then writes the batch row by row)."""
    resolved = [
        f.name
        for f in obj._meta.concrete_fields
        if f.is_relation and getattr(obj, f.attname) is not None
    ]
    obj.full_clean(exclude=resolved, validate_unique=False, validate_constraints=False)


def save_new(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    check: Callable[[models.Model, dict], object] | None = None,
    before: Callable[[list], object] | None = None,
    after: Callable[[list], object] | None = None,
) -> dict[int, ValidationError]:
    """Write new audited records set-based — what an import's `bulk_writer` does for a batch
    (jobs, loans, memberships, dividends, purchases, commitment payments):

    1. each through `clean_new()` (the checks of a page without a query per row), then, in
       order, `check(obj, errors)` if given: a rule that looks at other records or at earlier
       rows of the batch (e.g. one payment per period), which adds its messages to `errors`
       (`{field: [messages]}`, what `clean_new` found) and notes the record as taken when
       `errors` stays empty;
    2. in one transaction: `before(good)` (e.g. the household copies `save()` would set:
       `registry.copies.fill_many`), `insert_objects`, `after(good)` (e.g. the maintained
       totals `save()` would move), one CREATE audit row each (`AuditWriter.add_created`).

    Returns `{index: ValidationError}` of the refused ones (nothing of them written)."""
    from django.db import transaction

    good, errors = [], {}
    for i, obj in enumerate(objs):
        if obj.pk is not None:
            raise ValueError("only new records are written set-based")
        found: dict = {}
        try:
            clean_new(obj)
        except ValidationError as exc:
            found = exc.update_error_dict({})
        if check is not None:
            check(obj, found)
        if found:
            errors[i] = ValidationError(found)
            continue
        good.append(obj)
    if not good:
        return errors
    with transaction.atomic():
        if before is not None:
            before(good)
        insert_objects(model, good)
        if after is not None:
            after(good)
        audit = AuditWriter()
        for obj in good:
            audit.add_created(obj)
        audit.flush()
    return errors


def update(table: str, cols: Sequence[str], rows: list[tuple], key: str = "id") -> None:
    """UPDATE rows given as (values in `cols` order..., key value)."""
    if not rows:
        return
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in cols)
    sql = (
        f"UPDATE {connection.ops.quote_name(table)} SET {sets} "
        f"WHERE {connection.ops.quote_name(key)} = %s"
    )
    _execute(lambda cur: cur.executemany(sql, rows))


def db_value(value):
    """A Python value as the current backend's bulk path expects it."""
    if connection.vendor == "sqlite":
        if hasattr(value, "utcoffset") and hasattr(value, "hour"):
            return connection.ops.adapt_datetimefield_value(value)
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if value.__class__.__name__ == "Decimal":
            return str(value)
    return value


class AuditWriter:
    """Collects audit rows in the current audit context and writes them in bulk."""

    COLUMNS = (
        "time",
        "user_id",
        "username",
        "source",
        "request_id",
        "import_batch_id",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "subject_type",
        "subject_id",
        "before",
        "after",
    )

    def __init__(self) -> None:
        ctx = current_context()
        user_id, username = ctx.actor()
        now = db_value(timezone.now())
        self._head = (now, user_id, username, ctx.source, ctx.request_id, ctx.import_batch_id)
        self.rows: list[tuple] = []
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def add(
        self,
        action: str,
        object_type: str,
        object_id,
        object_repr: str,
        subject_type: str,
        subject_id,
        before: dict | None,
        after: dict | None,
    ) -> None:
        dumps = self._dumps
        self.rows.append(
            (
                *self._head,
                action,
                object_type,
                str(object_id),
                str(object_repr)[:200],
                subject_type,
                str(subject_id),
                None if before is None else dumps(before),
                None if after is None else dumps(after),
            )
        )

    def add_created(self, obj: models.Model) -> None:
        """The CREATE entry of a saved `core.audit.AuditedModel` instance, as its `save()`
        would write it (its audit fields, its audit subject)."""
        subject = obj.audit_subject()
        fields = obj.get_audit_fields()
        self.add(
            "create",
            obj._meta.label_lower,
            obj.pk,
            str(obj),
            subject._meta.label_lower,
            subject.pk,
            None,
            {f: to_json(getattr(obj, f)) for f in fields},
        )

    def __len__(self) -> int:
        return len(self.rows)

    def flush(self) -> None:
        insert(AuditEntry._meta.db_table, columns(AuditEntry, self.COLUMNS), self.rows)
        self.rows = []


def snapshot(values: dict, fields: Iterable[str]) -> dict:
    """A dict of plain values as the audit log stores them (see core.audit.to_json)."""
    return {f: to_json(values.get(f)) for f in fields}


def _json_value_sql(field: models.Field, alias: str) -> str:
    """SQL for one field's value inside json_object()/json_build_object(), rendered the way
    `core.audit.to_json` renders it (booleans as true/false, dates as ISO text)."""
    column = f"{alias}.{connection.ops.quote_name(field.column)}"
    if isinstance(field, models.DecimalField):
        # to_json: a whole number without decimals ("100"), otherwise the stored value ("3.50").
        if connection.vendor == "postgresql":
            return (
                f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} = trunc({column}) "
                f"THEN trunc({column})::bigint::text ELSE {column}::text END"
            )
        return (
            f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} = CAST({column} AS INTEGER) "
            f"THEN CAST(CAST({column} AS INTEGER) AS TEXT) "
            # "%%" because the statement goes through Django's %s parameter formatting.
            f"ELSE printf('%%.{field.decimal_places}f', {column}) END"
        )
    if connection.vendor == "sqlite" and isinstance(field, models.BooleanField):
        return f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true') ELSE json('false') END"
    return column


def id_ranges(ids: Sequence[int]) -> list[tuple[int, int]]:
    """The ids as sorted inclusive (low, high) ranges of consecutive values."""
    spans: list[tuple[int, int]] = []
    low = high = None
    for value in sorted(ids):
        if high is not None and value == high + 1:
            high = value
            continue
        if low is not None:
            spans.append((low, high))
        low = high = value
    if low is not None:
        spans.append((low, high))
    return spans


def audit_created(
    model: type[models.Model],
    ids: list[int],
    fields: Sequence[str],
    *,
    subject_type: str,
    subject_id_sql: str,
    repr_sql: str,
    join_sql: str = "",
) -> int:
    """Write CREATE audit entries for freshly inserted rows of `model` with one INSERT … SELECT.

    The database builds each entry's `after` (json_object on SQLite, json_build_object on
    PostgreSQL) from the rows as stored, so a county's members need no per-row Python work.
    `subject_id_sql` and `repr_sql` are SQL expressions over alias `t` (and any `join_sql`);
    `ids` are the new rows' primary keys (contiguous on SQLite, any set on PostgreSQL).
    Entries carry the current audit context, exactly like `AuditWriter`. Returns the number of
    entries written (inside `background_writes()`: queued).
    """
    if not ids:
        return 0
    meta = model._meta
    by_name = {}
    for field in meta.concrete_fields:
        by_name[field.name] = by_name[field.attname] = field
    pairs = ", ".join(f"'{name}', {_json_value_sql(by_name[name], 't')}" for name in fields)
    ctx = current_context()
    user_id, username = ctx.actor()
    head = [
        db_value(timezone.now()),
        user_id,
        username,
        ctx.source,
        ctx.request_id,
        ctx.import_batch_id,
    ]
    table = connection.ops.quote_name(meta.db_table)
    pk = connection.ops.quote_name(meta.pk.column)
    audit_columns = ", ".join(
        connection.ops.quote_name(c) for c in columns(AuditEntry, AuditWriter.COLUMNS)
    )
    label = meta.label_lower
    if connection.vendor == "postgresql":
        # jsonb directly: the same value as json_build_object(…)::jsonb without the text step.
        after = f"jsonb_build_object({pairs})"
        # Sequence values taken in one call are nearly always contiguous: select them as a few
        # primary-key ranges (an index range scan) instead of one large ANY(array) parameter.
        spans = id_ranges(ids)
        if len(spans) <= 32:
            where = "(" + " OR ".join([f"t.{pk} BETWEEN %s AND %s"] * len(spans)) + ")"
            id_param: list = [bound for span in spans for bound in span]
        else:  # interleaved with other sessions' inserts: the exact list
            where = f"t.{pk} BETWEEN %s AND %s AND t.{pk} = ANY(%s)"
            id_param = [min(ids), max(ids), list(ids)]
    else:
        after = f"json_object({pairs})"
        where = f"t.{pk} BETWEEN %s AND %s"
        id_param = [min(ids), max(ids)]
        assert max(ids) - min(ids) + 1 == len(ids), "SQLite ids are allocated contiguously"
    sql = (
        f"INSERT INTO {connection.ops.quote_name(AuditEntry._meta.db_table)} ({audit_columns}) "
        f"SELECT %s, %s, %s, %s, %s, %s, 'create', %s, CAST(t.{pk} AS TEXT), "
        f"SUBSTR({repr_sql}, 1, 200), %s, CAST({subject_id_sql} AS TEXT), NULL, {after} "
        f"FROM {table} t {join_sql} WHERE {where}"
    )
    params = [*head, label, subject_type, *id_param]

    def work(cur) -> int:
        cur.execute(sql, params)
        return cur.rowcount

    count = _execute(work)
    # Queued on a background writer: the rows selected are the `ids` just inserted.
    return len(ids) if count is None else count

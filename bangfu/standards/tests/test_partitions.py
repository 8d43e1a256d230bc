"""PostgreSQL: each run's verdicts are written into their own table and attached as the run's
partition of standards_verdict (services/partitions.py); the rows read back through the
ordinary model, a re-run adds a partition beside the first, and a run that fails leaves no
table behind."""

import pytest
from django.db import connection
from django.db.utils import ProgrammingError

from bangfu.core import testing
from bangfu.standards.models import EvaluationRun, Verdict
from bangfu.standards.services import evaluate as evaluate_module
from bangfu.standards.services.evaluate import evaluate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="partitions are PostgreSQL's; SQLite inserts"
    ),
]
VILLAGE = "451423100201"


@pytest.fixture(autouse=True)
def every_run_partitioned(settings):
    settings.BANGFU_VERDICT_PARTITION_MIN = 0


def test_a_small_run_inserts_into_the_default_partition(regions, settings):
    settings.BANGFU_VERDICT_PARTITION_MIN = 100
    testing.make_household(VILLAGE)
    evaluate("cn-household", 2020, VILLAGE)
    assert _partitions() == ["standards_verdict_default"]
    assert Verdict.objects.count() == 1


def _partitions() -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'standards_verdict'::regclass ORDER BY 1"
        )
        return [r[0] for r in cur.fetchall()]


def test_each_run_is_a_partition_and_reads_back_as_verdicts(regions):
    ok = testing.make_household(VILLAGE)
    poor = testing.make_household(VILLAGE, income_per_person=100)
    first = evaluate("cn-household", 2020, VILLAGE)
    second = evaluate("cn-household", 2020, VILLAGE)
    runs = list(EvaluationRun.objects.order_by("pk"))
    names = _partitions()
    for run in runs:
        assert f"standards_verdict_r{run.pk}" in names
    assert first.evaluated == second.evaluated == 2 and first.passed == second.passed == 1
    assert Verdict.objects.filter(household=poor, passed=False).count() == 2
    assert Verdict.objects.filter(household=ok, run=runs[1]).get().passed
    # a verdict written without a run (as older code did) goes to the DEFAULT partition
    v = Verdict.objects.filter(household=ok).first()
    v.pk, v.run = None, None
    v.save()
    assert Verdict.objects.filter(household=ok).count() == 3


def test_a_failed_run_leaves_no_table(regions, monkeypatch):
    testing.make_household(VILLAGE)
    before = _partitions()

    def broken(self, province, run, now, table=None):
        return (
            f"INSERT INTO {table or 'standards_verdict'} (run_id) SELECT 1 FROM no_such_table",
            [],
        )

    monkeypatch.setattr(evaluate_module.Plan, "insert", broken)
    with pytest.raises(ProgrammingError):
        evaluate("cn-household", 2020, VILLAGE)
    assert _partitions() == before
    assert not Verdict.objects.exists() and not EvaluationRun.objects.exists()

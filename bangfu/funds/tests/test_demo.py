import datetime

import pytest
from django.core.management import call_command

from bangfu.funds.models import Allocation, Donation, FundPool, Project
from bangfu.funds.services.reconcile import reconcile
from bangfu.registry.services import demo as registry_demo

pytestmark = pytest.mark.django_db


def test_demo_money_reconciles(capsys):
    registry_demo.build(seed=1, households=120)
    call_command("demo_funds", "--seed", "3")
    assert Project.objects.exists() and Allocation.objects.filter(household__isnull=False).exists()
    assert Donation.objects.count() == 3 * FundPool.objects.count()
    assert reconcile() == []
    call_command("reconcile_funds")
    assert "对账无误" in capsys.readouterr().out


def test_reconcile_funds_is_clean_on_the_whole_demo(capsys):
    """`bangfu demo` (registry, assistance, visits, plans, money — the battle-zone county's
    households registered at 村民小组 level included) reconciles: CI runs this on every push."""
    call_command("demo", "--households", "150", "--seed", "5")
    assert Allocation.objects.filter(household__region__level=6).exists()  # group-level households
    capsys.readouterr()
    call_command("reconcile_funds")
    assert "对账无误" in capsys.readouterr().out


def test_demo_economy_in_the_seeds_proportions(capsys):
    """The demo's cooperatives, 半夏贷 loans, jobs of the four kinds, purchases and the bank's
    promise to a family's students, in the seeds' proportions; the books still reconcile."""
    from decimal import Decimal

    from django.db.models import Avg, Sum

    from bangfu.commitments.models import Commitment, CommitmentPayment
    from bangfu.commitments.services.schedule import overdue
    from bangfu.consumption.models import Purchase
    from bangfu.cooperatives.models import Cooperative, CooperativeYear, Dividend, Membership
    from bangfu.credit.models import Loan, LoanProduct
    from bangfu.employment.models import Job
    from bangfu.registry.models import Household

    call_command("demo", "--households", "150", "--seed", "5")
    households = Household.objects.count()
    # seed 003: a cooperative with 16万 profit and 12 registered households employed
    assert CooperativeYear.objects.filter(
        profit=Decimal("160000"), poor_jobs=12, year=2019
    ).exists()
    assert Membership.objects.filter(household__isnull=True).exists()  # members not registered
    assert Membership.objects.filter(household__isnull=False).count() >= households // 4
    assert Dividend.objects.exists() and Cooperative.objects.exists()
    # seed 002: 半夏贷, one household in ten, about 4.8万 each (480万 per 1,000 households)
    assert set(LoanProduct.objects.values_list("name", flat=True)) == {"半夏贷"}
    lent = Loan.objects.aggregate(n=Sum("amount"), avg=Avg("amount"))
    assert Loan.objects.count() >= households // 10 - len(LoanProduct.objects.all())
    assert Decimal("45000") <= lent["avg"] <= Decimal("50000")
    assert set(Loan.objects.values_list("repayment", flat=True)) >= {"current", "repaid"}
    # jobs of the four kinds, 劳务输出 under an agreement
    assert set(Job.objects.values_list("kind", flat=True)) == {
        "labour_export",
        "nearby",
        "public_welfare",
        "workshop",
    }
    assert not Job.objects.filter(kind="labour_export", agreement__isnull=True).exists()
    assert Purchase.objects.filter(cooperative__isnull=False).exists()
    # seed 004: 1000 a month per student until graduation, with payments and one overdue
    promises = Commitment.objects.filter(amount=Decimal("1000"), end_event="graduation")
    assert promises.count() >= 2
    assert CommitmentPayment.objects.filter(commitment__in=promises).count() > 40
    assert overdue(promises, datetime.date(2024, 1, 1)).count() == 1
    capsys.readouterr()
    call_command("reconcile_funds")
    assert "对账无误" in capsys.readouterr().out

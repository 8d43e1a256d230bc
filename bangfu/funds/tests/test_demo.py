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

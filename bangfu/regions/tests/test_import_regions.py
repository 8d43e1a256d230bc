"""`bangfu import-regions`: the tree from a CSV, parents checked, names updated, audited."""

import pytest
from django.core.management import call_command

from bangfu.core.models import AuditEntry
from bangfu.regions.models import Region
from bangfu.regions.services.importer import import_regions

pytestmark = pytest.mark.django_db

TREE = """code,name,western_region
451423100201,新联村,
45,广西壮族自治区,是
4514,崇左市,
451423000000,龙州县,
451423100,下冻镇,
451423100201001,一组,
"""


def write(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tree_from_csv_level_parent_and_inherited_western_flag(tmp_path, capsys):
    call_command("import_regions", str(write(tmp_path, TREE)))
    assert "新增 6" in capsys.readouterr().out
    village = Region.objects.get(pk="451423100201")
    assert village.level == 5 and village.parent_id == "451423100" and village.western_region
    assert Region.objects.get(pk="451423").parent_id == "4514"
    group = Region.objects.get(pk="451423100201001")
    assert group.level == 6 and group.parent_id == "451423100201"
    entries = AuditEntry.objects.filter(object_type="regions.region", action="create")
    assert entries.count() == 6 and entries.first().source == "import"


def test_reimport_updates_names_and_is_idempotent(tmp_path):
    import_regions(write(tmp_path, TREE))
    count = AuditEntry.objects.count()
    result = import_regions(write(tmp_path, TREE))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert AuditEntry.objects.count() == count
    result = import_regions(write(tmp_path, "code,name\n451423100201,新联村委会\n"))
    assert result.updated == 1
    assert Region.objects.get(pk="451423100201").name == "新联村委会"
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.before["name"] == "新联村" and entry.after["name"] == "新联村委会"


def test_missing_parent_rejected_with_row_and_nothing_written(tmp_path, capsys):
    text = "code,name\n45,广西\n451423100201,新联村\n4514,崇左市\n"
    with pytest.raises(SystemExit) as exc:
        call_command("import_regions", str(write(tmp_path, text)))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "第 3 行" in err and "451423100" in err
    assert Region.objects.count() == 0


def test_bad_codes_and_unreadable_file(tmp_path):
    result = import_regions(write(tmp_path, "code,name\n45,广西\n4a,坏\n45,重复\n"))
    assert result.exit_code == 1
    assert [e.row for e in result.errors] == [3, 4]
    empty = write(tmp_path, "", "empty.csv")
    with pytest.raises(SystemExit) as exc:
        call_command("import_regions", str(empty))
    assert exc.value.code == 2

"""Builders of exchange files for the import and export tests (csv text and xlsx workbooks)."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from bangfu.registry import idnumber
from bangfu.registry.services.importer import COLUMNS

HEADERS = [c.header for c in COLUMNS]


def member_id(
    seq: int, born: datetime.date = datetime.date(1980, 5, 17), region6: str = "451423"
) -> str:
    return idnumber.make(region6, born, seq)


def household_rows(
    household_no: str = "H001",
    region: str = "451423100201",
    members: int = 3,
    seq: int = 100,
    **overrides,
) -> list[dict]:
    """Rows (dicts keyed by field) of one valid household; overrides apply to every row."""
    rows = []
    relations = ["户主", "配偶", "之子", "之女", "之父", "之母"]
    for i in range(members):
        born = datetime.date(1960 + i * 7, 1 + i, 10 + i)
        sequence = seq + i * 2 + (1 if i % 2 == 0 else 0)  # odd sequence = male
        row = {
            "region_code": region,
            "county": "龙州县",
            "township": "下冻镇",
            "village": "新联村" if region.startswith("451423100201") else "",
            "group": "",
            "household_no": household_no,
            "category": "一般贫困户",
            "status": "未脱贫",
            "registered_year": "2015",
            "exit_year": "",
            "main_cause": "因病",
            "other_causes": "缺资金、缺技术",
            "phone": "13812345678",
            "farmland_mu": "3.5",
            "housing_safety": "A",
            "relocated": "否",
            "safe_water": "是",
            "electricity": "是",
            "tv_access": "是",
            "road_hardened": "是",
            "food_clothing_secure": "是",
            "survey_year": "2020",
            "wage_income": "15000",
            "business_income": "3000",
            "property_income": "0",
            "transfer_income": "1200",
            "business_expense": "600",
            "household_size": str(members),
            "net_income_per_capita": "",
            "name": f"成员{household_no}-{i}",
            "id_number": member_id(sequence, born, region[:6]),
            "relation": relations[i],
            "sex": "男" if sequence % 2 else "女",
            "birth_date": born.isoformat(),
            "ethnicity": "壮族",
            "education": "初中",
            "schooling": "非在校生",
            "health": "健康",
            "labour_ability": "普通劳动力",
            "work_status": "县内务工",
            "work_months": "8",
            "medical_insurance": "是",
            "critical_illness_insurance": "是",
            "pension_insurance": "否",
        }
        row.update(overrides)
        rows.append(row)
    return rows


def to_csv(
    rows: list[dict],
    path: Path,
    title_rows: list[str] = (),
    headers: list[str] | None = None,
    encoding: str = "utf-8-sig",
) -> Path:
    fields = [c.field for c in COLUMNS]
    headers = headers or HEADERS
    out = io.StringIO()
    writer = csv.writer(out)
    for title in title_rows:
        writer.writerow([title])
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(f, "") for f in fields] + [row[k] for k in row if k not in fields])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def to_xlsx(
    rows: list[dict], path: Path, title: str | None = None, raw: dict | None = None
) -> Path:
    """An xlsx file; `raw` maps (row index, field) to a typed cell value (numbers, dates)."""
    import openpyxl

    fields = [c.field for c in COLUMNS]
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=10)
    ws.append(HEADERS)
    for i, row in enumerate(rows):
        values = [row.get(f, "") for f in fields]
        for (ri, f), value in (raw or {}).items():
            if ri == i:
                values[fields.index(f)] = value
        ws.append(values)
    wb.save(path)
    return path

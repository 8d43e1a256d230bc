"""`bangfu evaluate --standard CODE --year YYYY [--region CODE] --output FILE.csv`

Writes one row per household (columns subject,standard,year,passed,failed_items) and stores
the verdicts. Others script against this interface: keep it exactly."""

import csv

from django.core.management.base import BaseCommand, CommandError

from bangfu.standards.services.evaluate import EvaluationError, evaluate


class Command(BaseCommand):
    help = "按标准评估一个年度（可限定区划），写出 CSV 并保存评估结果"

    def add_arguments(self, parser):
        parser.add_argument("--standard", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--region", default=None)
        parser.add_argument("--output", required=True)

    def handle(self, *args, standard, year, region, output, **options):
        try:
            result = evaluate(standard, year, region)
        except EvaluationError as e:
            raise CommandError(str(e)) from None
        with open(output, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["subject", "standard", "year", "passed", "failed_items"])
            for row in result.iter_rows():
                w.writerow(
                    [
                        row.subject,
                        standard,
                        year,
                        "true" if row.passed else "false",
                        ";".join(row.failed),
                    ]
                )
        if hasattr(result, "skipped_codes"):  # a village or county standard
            self.stdout.write(
                f"evaluated: {result.evaluated}, passed: {sum(r.passed for r in result.rows)}, "
                f"skipped (villages without facts {year}): {result.skipped}"
            )
            return
        self.stdout.write(
            f"evaluated: {result.evaluated}, passed: {result.passed}, "
            f"skipped (no survey {year}): {result.skipped}"
        )

from django.core.management.base import BaseCommand

from bangfu.standards.services.load import load_standards


class Command(BaseCommand):
    help = "载入 standards.md 定义的五个标准及默认阈值（已存在的不覆盖）"

    def handle(self, *args, **options):
        standards, thresholds = load_standards()
        self.stdout.write(f"standards: {standards}, thresholds: {thresholds}")

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


class ChangeSource(models.TextChoices):
    UI = "ui", _("网页")
    API = "api", _("接口")
    IMPORT = "import", _("导入")
    COMMAND = "command", _("命令")
    DEMO = "demo", _("演示数据")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("等待")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("有错误，未写入")
    PARTIAL = "partial", _("部分写入")
    FAILED = "failed", _("无法读取")

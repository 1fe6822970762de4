"""The journal in the back office: read-only, like everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rcf.journal.models import JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = [
        "sequence",
        "recorded_at",
        "actor_username",
        "action",
        "obj_type",
        "obj_id",
        "before",
        "after",
    ]
    list_filter = ["action", "obj_type"]
    search_fields = ["=obj_id", "actor_username", "action"]
    ordering = ["-sequence"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in JournalEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

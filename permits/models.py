"""models of permits: filled in by its capability issue."""

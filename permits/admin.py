"""admin of permits: filled in by its capability issue."""

"""The quarterly report (季度通报): built from events alone, rendered to HTML (with charts) and CSV."""

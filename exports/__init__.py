"""Export: the split plan, layer records, sinks, report, command, API and page."""

"""Pre-annotation: runs, batch tasks, the prediction writer, command, API and panel."""

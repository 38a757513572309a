"""Review: agreement between annotators, adjudication into gold, the dashboard."""

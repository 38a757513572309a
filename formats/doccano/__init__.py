"""doccano JSONL: sequence labelling and relation projects."""

"""Import services: the run itself, records to annotation layers, labels onto the schema."""

"""Page views: thin functions that read through selectors and render templates."""

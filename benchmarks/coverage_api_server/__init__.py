"""Settings and URLs for the coverage API benchmark's gunicorn; never part of the product."""

"""One blueprint per resource: routes and their schemas, thin, calling the data layer."""

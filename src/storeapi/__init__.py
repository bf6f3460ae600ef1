"""storeapi: a REST API for stores, items, tags, users, books and frameworks."""

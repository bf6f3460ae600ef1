"""What every endpoint shares: errors, representations, caching, pagination, links."""

"""Mail: the outbox a request writes to, the single-use link tokens, the templates, and the
`storeapi worker` that delivers. Why an outbox, and what delivery it guarantees: docs/design.md
("Mail")."""

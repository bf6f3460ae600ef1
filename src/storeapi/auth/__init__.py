"""Passwords, tokens and the guards that protect endpoints."""

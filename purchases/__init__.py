"""Micro-purchases of social services under the procurement threshold (zamówienia
poniżej progu): needs, value estimation, quotes, award, acceptance, invoice.

Built on ``workflows``; the process arrives with its own issue.
"""

"""Micro-grants (mikrogranty): calls, applications, evaluation, agreements, settlement.

Built on ``workflows``; the process arrives with its own issue.
"""

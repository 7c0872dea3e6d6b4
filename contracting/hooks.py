"""What the contracting process offers the shared parts (``workflows.processes``):
its commitments, so that finance's plan and summary show each year of a multi-year
agreement against that year's plan line, and the commitments of later years for the
multi-year financial forecast."""

from workflows.processes import Process

from . import commitments, selectors

PROCESS = Process(name="contracting", commitments=commitments, forecast=selectors.forecast)

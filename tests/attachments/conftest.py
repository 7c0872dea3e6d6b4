"""Attachments are tested on the grant world (an application, a correction, a report)."""

from tests.grants.conftest import frozen_now, world

__all__ = ["frozen_now", "world"]

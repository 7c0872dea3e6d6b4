"""Clients signed in as a user: ``web`` for pages, ``api`` for the REST API."""

from django.test import Client
from rest_framework.test import APIClient


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client

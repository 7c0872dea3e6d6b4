"""The API's JSON parser. Kept apart from ``workflows.api``: DRF imports the parsers
named in its settings while its own views module is still loading."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    """Every JSON request body of this API is an object (a list, a string, a number or
    ``null`` is a 400), so views and serializers may rely on ``request.data`` being a
    mapping."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_('The request body must be a JSON object ({"field": value}).'))
        return data

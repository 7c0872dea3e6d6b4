"""The OpenAPI schema's shared parts: every operation documents the error answers of
``workflows.api.exception_handler`` (one ``Error`` body), so a client generated from the
schema knows each status code the API may give."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the user's language."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "Field name -> messages (400 only).",
        },
    },
    "required": ["detail"],
}

ERRORS = {
    "400": "The input is wrong: ``errors`` says where.",
    "401": "Not signed in.",
    "403": "Visible, but not this user's to do.",
    "404": "Does not exist, or not for this user.",
    "409": "Does not fit the object's current state (the reason is in ``detail``).",
}
READ_ERRORS = ("400", "401", "403", "404")


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the ``Error`` answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            codes = READ_ERRORS if method == "get" else ERRORS
            responses = operation.setdefault("responses", {})
            for code in codes:
                response = responses.get(code)
                if not response or "content" not in response:
                    responses[code] = {
                        "description": ERRORS[code],
                        "content": {"application/json": {"schema": reference}},
                    }
    return result

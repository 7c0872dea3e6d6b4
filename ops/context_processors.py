def version(request) -> dict:
    """The release shown in the page footer."""
    from django.conf import settings

    return {"app_version": settings.VERSION}

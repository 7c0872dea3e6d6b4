"""The page links of a paginated list: ``{% pagination page %}`` renders
``includes/pagination.html`` with previous/next and the page numbers (elided), each a
plain link that keeps the request's other query parameters (the filters). A page of a
list that is not counted (``workflows.pagination.UncountedPage``, no ``paginator``)
gets previous/next and its own number only."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page):
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)

    def url(number: int) -> str:
        params = query.copy()
        params["page"] = number
        return "?" + params.urlencode()

    paginator = page.paginator
    links = []
    numbers = (
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        if paginator is not None
        else []
    )
    for number in numbers:
        if number == paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append({"number": number, "url": url(number), "current": number == page.number})
    return {
        "page": page,
        "links": links,
        "previous_url": url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url(page.next_page_number()) if page.has_next() else "",
    }

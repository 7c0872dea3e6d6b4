"""Read a rendered HTML form back into POST data, as a browser would send it."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action_contains: str | None):
        super().__init__()
        self.action_contains = action_contains
        self.inside = False
        self.forms: list[dict[str, str]] = []
        self.data: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None
        self.multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or ""
            self.inside = self.action_contains is None or self.action_contains in action
            self.data = {}
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select, self.first_option = name, None
            self.multiple = "multiple" in attrs
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.forms.append(self.data)
        elif tag == "select" and self.select:
            # A browser sends a single select's first option when none is selected, and
            # nothing for a multiple select without a selection.
            if not self.multiple and self.select not in self.data:
                self.data[self.select] = self.first_option or ""
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that follows <textarea>.
            value = self.data[self.textarea]
            self.data[self.textarea] = value[1:] if value.startswith("\n") else value
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def form_data(html: str, action_contains: str | None = None) -> dict[str, str]:
    """The fields of the page's largest form (among those whose action contains
    ``action_contains``): the page's own form, not the header's."""
    reader = _FormReader(action_contains)
    reader.feed(html)
    return max(reader.forms, key=len)

"""Small text checks shared by the apps."""


def is_digits(value) -> bool:
    """True for a non-empty string of ASCII digits 0-9 only. ``str.isdigit`` also accepts
    superscripts ("²") and other scripts' digits, which ``int`` then refuses or misreads."""
    value = str(value)
    return value.isascii() and value.isdigit()

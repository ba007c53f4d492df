class InputError(Exception):
    """A problem with a file the user named; the message is Vietnamese and says what to do."""

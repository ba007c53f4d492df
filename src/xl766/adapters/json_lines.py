"""JSON arrays of records for `--json`: one record per line, written part by part as the parts
are made, so a national table's records are never all in memory. orjson (Rust) encodes them
about three times as fast as the standard library; its numbers are the shortest that read back
exactly, as Python's own, and its lines carry no spaces. A numpy number is a number."""

from __future__ import annotations

from collections.abc import Iterable

import orjson


def write_records(parts: Iterable[list[dict]], stream) -> None:
    """``[`` + the records of every part, one a line, comma-separated + ``]``."""
    stream.write("[")
    first = True
    for records in parts:
        if not records:
            continue
        lines = b",\n".join(orjson.dumps(record, option=orjson.OPT_SERIALIZE_NUMPY)
                             for record in records).decode()
        stream.write(("\n" if first else ",\n") + lines)
        first = False
    stream.write("\n]\n")

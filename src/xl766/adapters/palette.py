"""Colours shared by the report and the Excel template, so a band looks the same in both."""

BAND_FILLS = ("#C6EFCE", "#DDEBF7", "#FFF2CC", "#FCE4D6", "#FFC7CE", "#E7E6E6")
BELOW_TARGET_FILL = "#FFC7CE"


def band_fill(position: int) -> str:
    """The fill of the band at ``position`` in the set's list (best first)."""
    return BAND_FILLS[position % len(BAND_FILLS)]

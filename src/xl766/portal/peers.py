"""The office among its peers: from a portal `service-results` answer listing provinces (the
national list) or a province's units, the office's rank by the portal's total, compared
exactly (ties share the better place)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from xl766.adapters.errors import InputError
from xl766.engine.scoring import competition_rank


def read_peers(path: Path) -> dict[str, tuple[str, float]]:
    """departmentCode: (departmentName, totalScore) of every entry with a total."""
    try:
        answer = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = answer["data"]["evaluation"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"Tệp '{Path(path).name}' không phải câu trả lời service-results của "
                         f"Cổng DVCQG đọc được ({error}).") from None
    peers = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        code, score = entry.get("departmentCode"), entry.get("totalScore")
        if isinstance(code, str) and isinstance(score, int | float) and not isinstance(
                score, bool):
            peers[code] = (str(entry.get("departmentName") or code), float(score))
    if not peers:
        raise InputError(f"Tệp '{Path(path).name}' không có đơn vị nào có totalScore.")
    return peers


def peer_rank(peers: dict[str, tuple[str, float]], code: str, origin: str) -> tuple[int, int]:
    """(rank, how many) of ``code`` among the peers."""
    if code not in peers:
        raise InputError(f"Mã '{code}' (ma_tinh_cong) không có trong danh sách đồng cấp "
                         f"'{origin}' ({len(peers)} đơn vị).")
    codes = list(peers)
    ranks = competition_rank(np.array([peers[c][1] for c in codes]), pd.Index(codes))
    return int(ranks[code]), len(codes)

"""A customers file's owner column against the team's own hand-overs (docs/team.md, SPEC §13/§14).

An ERP's weekly export never knows kacrm's pool: its owner column keeps naming the salesperson an account was
released from or handed over by. Before the file is written, an owner the file names that is stale against
kacrm's ownership history (kacrm.analysis.pool.team_owner_stands) is left out, and said; after, every owner the
file changed gets its history row (`imported`), and an owner the file takes over capacity is said too: the file
is the ERP's record, so its rows are imported all the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from kacrm.analysis.pool import team_owner_stands
from kacrm.app.owners import capacity_in_force
from kacrm.store.import_owners import (
    holdings,
    own_capacities,
    ownership_trails,
    record_imported,
    stored_owners,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kacrm.config import Settings
    from kacrm.io.importer import PreparedFile


@dataclass
class OwnerChanges:
    moves: list[tuple[int, str, str | None]] = field(default_factory=list)  # id, new, previous
    gained: set[str] = field(default_factory=set)  # owners the file gives customers to


def settle_owners(conn: Connection, prepared: PreparedFile) -> OwnerChanges:
    """Leave out of ``prepared`` (a customers file) the owners that would undo a hand-over of the team (listed in
    its summary's ``owners_kept``); the changes the rest make (listed in ``owners_moved``)."""
    changes = OwnerChanges()
    frame = prepared.frame
    if "owner" not in frame or frame.empty:
        return changes
    stored, trails = stored_owners(conn), ownership_trails(conn)
    summary, kept = prepared.summary, []
    for row, code, owner in zip(frame.index, frame["code"], frame["owner"], strict=True):
        if not isinstance(owner, str) or not owner:
            continue
        if code not in stored:
            changes.gained.add(owner)
            continue
        cid, now = stored[code]
        if owner == now:
            continue
        if team_owner_stands(trails.get(cid, []), owner):
            kept.append(row)
            summary.owners_kept.append((code, owner, now))
            continue
        changes.moves.append((cid, owner, now))
        changes.gained.add(owner)
        summary.owners_moved.append((code, owner, now))
    if kept:
        prepared.frame = frame.assign(owner=frame["owner"].mask(frame.index.isin(kept)))
    return changes


def record_owners(
    conn: Connection, prepared: PreparedFile, changes: OwnerChanges, settings: Settings, today: date
) -> None:
    """After the file is written: the history rows of its owner changes, and the owners it took over capacity
    (the summary's ``owners_over``: owner, customers held, capacity)."""
    record_imported(conn, changes.moves, today)
    if not changes.gained:
        return
    held, own = holdings(conn), own_capacities(conn)
    for owner in sorted(changes.gained):
        cap = capacity_in_force(own.get(owner), settings)
        if 0 < cap < held.get(owner, 0):
            prepared.summary.owners_over.append((owner, held[owner], cap))

"""Key rotation for stored tokens: rewrite every token under the first key of ROUNDTABLE_SECRET_KEY.

After `python -m bot installs reencrypt` no row needs an older key, so it can be dropped from the
setting. Tokens are read and written as stored (ciphertext; the tables are reflected, so the
encrypting column type of storage.installations never sees them) and decrypted only in memory.
One transaction per workspace (its installation and bot rows together, locked on PostgreSQL);
a token already under the first key is left as it is, so running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Connection, Engine, MetaData, Table, inspect, select, update

from storage.installations import BOTS_TABLE, INSTALLATIONS_TABLE, TOKEN_COLUMNS, cipher

Owner = tuple[str, str | None, str | None]  # client_id, enterprise_id, team_id


@dataclass
class Reencrypted:
    rewritten: list[Owner] = field(default_factory=list)  # had a token under an older key
    current: list[Owner] = field(default_factory=list)  # every token already under the first key
    unreadable: list[Owner] = field(default_factory=list)  # some token no key decrypts: left untouched


def reencrypt(engine: Engine, keys: Sequence[str]) -> Reencrypted:
    fernet, first = cipher(keys), Fernet(keys[0].encode())
    present = set(inspect(engine).get_table_names())
    metadata = MetaData()
    tables = [Table(name, metadata, autoload_with=engine) for name in (INSTALLATIONS_TABLE, BOTS_TABLE)
              if name in present]
    with engine.connect() as conn:
        owners: set[Owner] = set()
        for table in tables:
            owners.update(tuple(row) for row in conn.execute(  # type: ignore[misc]
                select(table.c.client_id, table.c.enterprise_id, table.c.team_id).distinct()))
    done = Reencrypted()
    for owner in sorted(owners, key=lambda o: tuple(part or "" for part in o)):
        try:
            with engine.begin() as conn:
                changed = sum(_rewrite(conn, table, owner, fernet, first) for table in tables)
        except InvalidToken:
            done.unreadable.append(owner)
            continue
        (done.rewritten if changed else done.current).append(owner)
    return done


def _rewrite(conn: Connection, table: Table, owner: Owner, fernet: MultiFernet, first: Fernet) -> int:
    client_id, enterprise_id, team_id = owner
    c = table.c
    columns = [c[name] for name in TOKEN_COLUMNS if name in c]
    rows = conn.execute(select(c.id, *columns)
                        .where(c.client_id == client_id, c.enterprise_id.is_not_distinct_from(enterprise_id),
                               c.team_id.is_not_distinct_from(team_id))
                        .with_for_update()).mappings().all()
    changed = 0
    for row in rows:
        values = {column.name: fernet.rotate(row[column.name].encode()).decode()
                  for column in columns if row[column.name] and not _under(first, row[column.name])}
        if values:
            conn.execute(update(table).where(c.id == row["id"]).values(**values))
            changed += 1
    return changed


def _under(key: Fernet, token: str) -> bool:
    try:
        key.decrypt(token.encode())
    except InvalidToken:
        return False
    return True

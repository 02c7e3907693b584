"""the version of the reader that made a stored manual's pages

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 22:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Manuals stored before this column were read by the first reader.
    op.add_column(
        "stored_documents",
        sa.Column("extraction", sa.Integer(), server_default="1", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("stored_documents", "extraction")

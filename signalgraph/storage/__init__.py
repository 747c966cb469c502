"""Where the data lives: engine, SQLModel tables, repositories, blobs, migrations. Knows no API."""

"""Issue 8's targets, kept apart from the scenarios so that the report can
read them without setting up Django."""

# scenario -> (metric, comparison, value, where it applies), measured at 1M
# requests on this 2-core machine.
TARGETS = {
    "map_city": ("median_ms", "<=", 100, "1M"),
    "map_street": ("median_ms", "<=", 30, "1M"),
    "open311": ("median_ms", "<=", 150, "1000 rows"),
    "submission": ("per_second", ">=", 50, "one process"),
    "leaderboards": ("median_ms", "<=", 20, "1M"),
    "import": ("rows_per_second", ">=", 10_000, "2015 file"),
    "feed": ("p99_ms", "<=", 500, "1000 clients"),
}

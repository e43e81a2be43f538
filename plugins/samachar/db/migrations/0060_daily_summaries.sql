-- What the asset-scheduled summary DAG writes: per IST day, source and category.
-- category '*' holds the source's totals for the day, including its failures.
CREATE TABLE IF NOT EXISTS daily_summaries (
    day          date        NOT NULL,
    source       text        NOT NULL,
    category     text        NOT NULL,
    articles     integer     NOT NULL,
    new_authors  integer     NOT NULL,
    failures     integer,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (day, source, category)
);

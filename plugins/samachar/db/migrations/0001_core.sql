-- Core schema: sources, runs and stage metrics, raw pages, quarantine, staging, articles, revisions.
-- Timestamps are timestamptz everywhere; ids are identity bigints.

CREATE TABLE sources (
    name        text PRIMARY KEY CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pipeline_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text NOT NULL REFERENCES sources (name),
    interval_start  timestamptz NOT NULL,
    interval_end    timestamptz NOT NULL,
    trigger         text NOT NULL,                 -- scheduled | manual | cli | backfill | reprocess ...
    airflow_run_id  text UNIQUE,                   -- same Airflow run (task retries) -> same row
    status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'success', 'failed')),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    CHECK (interval_end >= interval_start)
);
CREATE INDEX pipeline_runs_source_interval_idx ON pipeline_runs (source, interval_start);

-- One row per stage attempt (a retried task adds a row; history is kept).
CREATE TABLE stage_runs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           bigint NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    stage            text NOT NULL,
    count_in         integer NOT NULL CHECK (count_in >= 0),
    count_out        integer NOT NULL CHECK (count_out >= 0),
    count_failed     integer NOT NULL CHECK (count_failed >= 0),
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz NOT NULL,
    duration_seconds double precision GENERATED ALWAYS AS (extract(epoch FROM finished_at - started_at)) STORED,
    error_summary    text,
    details          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX stage_runs_run_idx ON stage_runs (run_id, stage);

-- Latest fetched body per URL. The HTML is zlib-compressed by the application (see db/raw.py);
-- STORAGE EXTERNAL stops TOAST from trying to compress it a second time.
CREATE TABLE raw_pages (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source            text NOT NULL REFERENCES sources (name),
    url               text NOT NULL UNIQUE,
    final_url         text NOT NULL,
    status            integer NOT NULL,
    etag              text,
    last_modified     text,
    content_hash      text NOT NULL,                -- sha256 hex of the body bytes (from the fetcher)
    html_zlib         bytea NOT NULL,
    html_size         integer NOT NULL,             -- uncompressed UTF-8 bytes
    fetched_at        timestamptz NOT NULL,         -- when the current body was fetched
    first_fetched_at  timestamptz NOT NULL,
    last_fetched_at   timestamptz NOT NULL,         -- includes 304 revalidations
    run_id            bigint REFERENCES pipeline_runs (id) ON DELETE SET NULL   -- run that fetched this body
);
ALTER TABLE raw_pages ALTER COLUMN html_zlib SET STORAGE EXTERNAL;
CREATE INDEX raw_pages_source_idx ON raw_pages (source, fetched_at);

CREATE TABLE quarantine (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text NOT NULL REFERENCES sources (name),
    url          text NOT NULL,
    stage        text NOT NULL,
    reason       text NOT NULL,
    detail       text NOT NULL DEFAULT '',
    raw_page_id  bigint REFERENCES raw_pages (id) ON DELETE SET NULL,
    run_id       bigint REFERENCES pipeline_runs (id) ON DELETE SET NULL,
    first_seen   timestamptz NOT NULL DEFAULT now(),
    last_seen    timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 1,
    resolved_at  timestamptz,
    UNIQUE (url, stage)
);
CREATE INDEX quarantine_open_idx ON quarantine (source, stage) WHERE resolved_at IS NULL;

-- Parsed (and later transliterated) rows waiting for the load stage, scoped to a run.
-- UNLOGGED: transient working data, rebuilt from raw_pages by re-running parse; skipping WAL (and
-- TOAST compression, below) roughly halves the cost of staging. A server crash empties it.
CREATE UNLOGGED TABLE staged_articles (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id             bigint NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    raw_page_id        bigint NOT NULL REFERENCES raw_pages (id) ON DELETE CASCADE,
    article            jsonb NOT NULL,
    transliteration    jsonb,
    problem            text,                          -- set at staging time: the row cannot be loaded
    notes              jsonb NOT NULL DEFAULT '[]',   -- e.g. NUL characters stripped
    staged_at          timestamptz NOT NULL DEFAULT now(),
    transliterated_at  timestamptz,
    UNIQUE (run_id, raw_page_id)
);
ALTER TABLE staged_articles ALTER COLUMN article SET STORAGE EXTERNAL,
                            ALTER COLUMN transliteration SET STORAGE EXTERNAL;

CREATE TABLE articles (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_url          text NOT NULL UNIQUE,
    url                    text NOT NULL,             -- address it was first fetched from
    source                 text NOT NULL REFERENCES sources (name),
    title                  text NOT NULL,
    summary                text,
    body                   text NOT NULL,
    authors                text[] NOT NULL DEFAULT '{}',
    category               text,
    tags                   text[] NOT NULL DEFAULT '{}',
    published_at           timestamptz,
    modified_at            timestamptz,
    language               text NOT NULL DEFAULT 'hi',
    lead_image             text,
    related                jsonb NOT NULL DEFAULT '[]',
    dateline               text,
    title_prefix           text,
    title_iso              text,
    title_readable         text,
    summary_iso            text,
    summary_readable       text,
    body_iso               text,
    body_readable          text,
    content_hash           text NOT NULL,             -- sha256 over parsed + transliterated content
    parser_version         text NOT NULL,
    transliterator_version text NOT NULL,
    revision               integer NOT NULL DEFAULT 1,
    raw_page_id            bigint REFERENCES raw_pages (id) ON DELETE SET NULL,
    first_seen             timestamptz NOT NULL,
    last_seen              timestamptz NOT NULL,
    content_updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_url_idx ON articles (url);
CREATE INDEX articles_source_published_idx ON articles (source, published_at);

-- Superseded versions: a row is added only when an article's content hash changes,
-- holding the content that was replaced.
CREATE TABLE article_revisions (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id             bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision               integer NOT NULL,
    url                    text NOT NULL,
    source                 text NOT NULL,
    title                  text NOT NULL,
    summary                text,
    body                   text NOT NULL,
    authors                text[] NOT NULL,
    category               text,
    tags                   text[] NOT NULL,
    published_at           timestamptz,
    modified_at            timestamptz,
    language               text NOT NULL,
    lead_image             text,
    related                jsonb NOT NULL,
    dateline               text,
    title_prefix           text,
    title_iso              text,
    title_readable         text,
    summary_iso            text,
    summary_readable       text,
    body_iso               text,
    body_readable          text,
    content_hash           text NOT NULL,
    parser_version         text NOT NULL,
    transliterator_version text NOT NULL,
    raw_page_id            bigint REFERENCES raw_pages (id) ON DELETE SET NULL,
    valid_from             timestamptz NOT NULL,      -- content_updated_at of the replaced version
    superseded_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (article_id, revision)
);

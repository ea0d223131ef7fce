-- what the transcoding worker learns about a file; renditions are bitrates in kbit/s
alter table files
    add column failure_reason text,
    add column loudness_lufs  double precision,
    add column waveform       real[],
    add column renditions     integer[] not null default '{}',
    add column cover_codec    text,
    add column has_artwork    boolean   not null default false;

-- one transcoding job per file until it is done; a worker holds it with a lease that it keeps renewing.
-- A lease that runs out (the worker died) makes the job claimable again.
create table transcode_jobs (
    file_id     text primary key references files (id) on delete cascade,
    attempts    integer     not null default 0,
    lease_owner text,
    lease_until timestamptz,
    created_at  timestamptz not null default now()
);
create index transcode_jobs_claimable on transcode_jobs (created_at);

-- transactional outbox: a file change and its event commit together; the relay ships them to Kafka
create table outbox (
    seq        bigserial primary key,
    id         uuid        not null unique,
    topic      text        not null,
    key        text        not null,
    payload    text        not null,
    created_at timestamptz not null default now()
);

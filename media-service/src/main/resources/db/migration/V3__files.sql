-- the media library: one row per uploaded audio file (its original is in S3 under originals/<id>)
create table files (
    id           text primary key,
    user_id      text        not null,
    filename     text        not null,
    title        text        not null,
    artist       text,
    album        text,
    genre        text,
    year         integer,
    track        integer,
    category     text,
    tags         text[]      not null default '{}',
    is_public    boolean     not null,
    size         bigint      not null,
    duration_ms  bigint      not null,
    format       text        not null,
    codec        text        not null,
    bitrate      bigint,
    sample_rate  integer     not null,
    channels     integer     not null,
    status       text        not null check (status in ('uploaded', 'processing', 'ready', 'failed')),
    created_at   timestamptz not null
);
create index files_by_owner on files (user_id, created_at desc);

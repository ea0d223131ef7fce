create table streams (
    id               text primary key,
    user_id          text        not null,
    username         text        not null,
    title            text        not null,
    description      text,
    category         text        not null,
    tags             text[]      not null default '{}',
    is_public        boolean     not null,
    status           text        not null check (status in ('starting', 'live', 'stopped')),
    stream_key       text        not null unique,
    created_at       timestamptz not null,
    started_at       timestamptz,
    stopped_at       timestamptz,
    -- seconds the encoder was actually connected, reconnect gaps excluded
    live_seconds     bigint      not null default 0,
    publishing_since timestamptz,
    disconnected_at  timestamptz,
    viewers_count    integer     not null default 0,
    viewers_peak     integer     not null default 0
);

-- one active stream per user, enforced by the database so that two concurrent starts cannot both win
create unique index streams_one_active_per_user on streams (user_id) where status in ('starting', 'live');
create index streams_live_by_start on streams (started_at desc) where status = 'live';

-- transactional outbox: a state change and its event commit together; the relay ships them to Kafka
create table outbox (
    seq        bigserial primary key,
    id         uuid        not null unique,
    topic      text        not null,
    key        text        not null,
    payload    text        not null,
    created_at timestamptz not null default now()
);

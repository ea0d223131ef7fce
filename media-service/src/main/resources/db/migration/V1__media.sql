-- players that keep refreshing a live playlist with their viewer session: the source of viewer counts
create table live_viewers (
    stream_id  text        not null,
    session_id text        not null,
    last_seen  timestamptz not null,
    primary key (stream_id, session_id)
);
create index live_viewers_by_last_seen on live_viewers (stream_id, last_seen);

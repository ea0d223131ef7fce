-- what the HLS origin must know about a live stream, fed by veza.streams.v1
create table live_streams (
    stream_id  text primary key,
    user_id    text        not null,
    is_public  boolean     not null,
    ended      boolean     not null default false,
    updated_at timestamptz not null default now()
);

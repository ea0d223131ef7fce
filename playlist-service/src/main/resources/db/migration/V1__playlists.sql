-- the playlist features land with their own issue; the service already owns its schema
create table playlists (
    id          text primary key,
    user_id     text        not null,
    name        text        not null,
    description text,
    is_public   boolean     not null default false,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

create table playlist_files (
    playlist_id text    not null references playlists (id) on delete cascade,
    position    integer not null,
    file_id     text    not null,
    primary key (playlist_id, position)
);

-- tus resumable uploads: what has been received so far, as chunk objects in S3 (uploads/<id>/...), in order.
-- A finished upload keeps its row (with the file it became) until it expires, so clients can still ask.
create table resumable_uploads (
    id          text primary key,
    user_id     text        not null,
    length      bigint      not null check (length > 0),
    received    bigint      not null default 0 check (received <= length),
    metadata    text        not null default '',
    chunks      text[]      not null default '{}',
    file_id     text,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null
);
create index resumable_uploads_expiry on resumable_uploads (expires_at);

-- title and artist, lower-cased and without accents, for accent- and case-insensitive search
alter table files add column search_text text not null default '';
create index files_public on files (created_at desc) where is_public;

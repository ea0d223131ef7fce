-- typo-tolerant search: trigram matching of the query against title and artist (search_text), indexed
create extension if not exists pg_trgm;
create index files_search_trigrams on files using gin (search_text gin_trgm_ops);

-- Themes and sentiment of comments (issue 15).
--
-- theme: one row per theme applied as code (`themes apply`); definition holds the keywords per
-- language and the example sentences, definition_hash tells `unchanged` apart.
create table theme (
    key              text        primary key,
    label            text        not null,
    definition       jsonb       not null,
    definition_hash  text        not null,
    source_file      text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

-- The themes a response's comment mentions, each with where the tag came from: a keyword rule,
-- the embedding model (with its similarity) or a person. Manual tags are never replaced by re-tagging.
create table response_theme (
    response_id  bigint  not null references response (id) on delete cascade,
    theme_key    text    not null references theme (key) on delete cascade,
    source       text    not null check (source in ('rule', 'model', 'manual')),
    similarity   real,
    primary key (response_id, theme_key)
);
create index response_theme_theme on response_theme (theme_key, response_id);

-- A theme removed by hand from a response: re-tagging does not put it back.
create table response_theme_removed (
    response_id  bigint  not null references response (id) on delete cascade,
    theme_key    text    not null references theme (key) on delete cascade,
    primary key (response_id, theme_key)
);

-- The sentiment of a response's comment; no row while it has no comment or is not tagged yet.
create table response_sentiment (
    response_id  bigint      primary key references response (id) on delete cascade,
    sentiment    text        not null check (sentiment in ('positive', 'neutral', 'negative')),
    tagged_at    timestamptz not null
);

-- The tagging queue: a response is queued in the transaction that stores or changes its comment
-- (this trigger, so every way of storing an answer is covered and the answer's path only adds one
-- small insert), and leaves the queue in the transaction that writes its tags: a restart loses nothing.
create table theme_queue (
    response_id  bigint      primary key references response (id) on delete cascade,
    queued_at    timestamptz not null
);

create function queue_theme_tagging() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' and new.comment is null then
        return new;
    end if;
    if tg_op = 'UPDATE' and new.comment is not distinct from old.comment and new.score = old.score then
        return new;
    end if;
    insert into theme_queue (response_id, queued_at) values (new.id, new.updated_at)
    on conflict (response_id) do update set queued_at = excluded.queued_at;
    return new;
end $$;

-- the score too: it weighs in the sentiment of a short or ironic comment
create trigger response_theme_queue
    after insert or update of comment, score on response
    for each row
    execute function queue_theme_tagging();

-- comments stored before this version are tagged too
insert into theme_queue (response_id, queued_at)
select id, updated_at from response where comment is not null;

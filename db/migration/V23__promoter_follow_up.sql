-- Closing the loop with promoters (issue 14.4): the promoter follow-up email is a message of its
-- own kind in the outbox (one per invitation, so never twice for one response), and every click on
-- a campaign's follow-up link (/r/{token}/{link}) is counted per response and link.
alter table message drop constraint message_kind_check;
alter table message add constraint message_kind_check check (kind in ('invite', 'reminder', 'promoter'));

-- One row per response and link: a counter, not a row per click, so a scanner that follows a link
-- a thousand times grows a number, not the table. Every GET counts (mail scanners too): these are
-- clicks, not conversions.
create table link_click (
    response_id  bigint      not null references response (id) on delete cascade,
    link         text        not null,
    clicks       integer     not null,
    first_at     timestamptz not null,
    last_at      timestamptz not null,
    primary key (response_id, link)
);

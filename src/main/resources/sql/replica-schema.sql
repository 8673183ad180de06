-- name: replica-schema
-- The report replica (report/ReportReplica): an in-process DuckDB copy of what reports read,
-- loaded from PostgreSQL at start and kept exact through the roll-up refresh (V35). Times are
-- epoch microseconds (UTC), days UTC dates, as report.sql computes them.
-- (One statement of several, run at once by DuckDB.)
-- Every campaign (small: reloaded whole at each sync).
create table campaign (
    id   bigint primary key,
    key  varchar not null
);

-- One row per counted invitation (sent, or failed trying), on the UTC day its invite went out
-- (report.sql's raw-of-days), with its answer if it has one.
create table fact (
    campaign_id    bigint   not null,
    day            date     not null,     -- UTC day of coalesce(sent_at, invite_at)
    at_us          bigint   not null,     -- coalesce(sent_at, invite_at): tenure is measured at it
    invitation_id  bigint   not null,
    contact_id     bigint   not null,
    cycle          varchar  not null,     -- the invitation's cycle (--by wave: campaign key, a space, the cycle)
    channel        varchar,               -- credited: the channel of the message whose link led to the answer, else the invitation's
    failed         boolean  not null,     -- status 'failed'
    offline        boolean  not null,     -- an answer collected elsewhere (the invitation's channel is 'offline')
    response_id    bigint,                -- null: no answer
    score          smallint,
    received_us    bigint,
    step           integer,               -- answer-step: the last reminder step sent before the answer, 0 the invite
    delay          double,                -- seconds from invite to answer, null offline or without answer
    commented      boolean,               -- the answer has a non-blank comment
    month          date     not null,     -- the first day of the day's month, quarter: grouped on as stored
    quarter        date     not null      -- (date_trunc on every row cost 150 ms of a 170 ms breakdown)
);

-- The skip and deferral reasons of invitations, on the UTC day they were planned (report.sql's
-- decisions-of-days, one row per reason). The answer's category, for --by category, is the
-- fact's of the same invitation_id.
create table decision (
    campaign_id    bigint   not null,
    day            date     not null,     -- UTC day of planned_at
    planned_us     bigint   not null,
    invitation_id  bigint   not null,
    contact_id     bigint   not null,
    cycle          varchar  not null,
    channel        varchar,               -- the invitation's channel (null: none)
    kind           varchar  not null,     -- skip | defer
    reason         varchar  not null,
    month          date     not null,     -- as the fact's, of the day planned
    quarter        date     not null
);

-- Contacts: tenure, churn and revenue, and every attribute as one row per name.
create table contact (
    id              bigint primary key,
    onboarded_us    bigint,
    churned_at      date,
    revenue         decimal(38, 12),      -- report_number of the revenue attribute, null when not a number
    revenue_scale   integer               -- its scale in PostgreSQL: sums are exact at the largest scale summed
);
create table contact_attr (
    contact_id  bigint  not null,
    name        varchar not null,
    value       varchar not null
);

-- The attributes again, coded for breakdowns (a join on integers is several times cheaper than one
-- on text): one row per contact and attribute name any contact has, code 0 for no value (or the
-- value '(none)', which PostgreSQL's path groups with it), else the value's code in attr_value.
-- Complete, so that a breakdown joins it without an outer join (a left join costs 4 times more).
create table contact_code (
    contact_id  bigint  not null,
    name        varchar not null,
    code        integer not null
);
create table attr_name (
    name  varchar primary key
);
create table attr_value (
    name   varchar not null,
    value  varchar not null,
    code   integer not null
);

-- Every answer of an existing contact again, with that contact's revenue, churn and onboarding
-- (what replica-outcomes reads, without joining a million contacts), and whether it is the
-- contact's latest answer (the largest received_us, then response_id) among their answers of the
-- same scope: overall, of a month or a quarter (the fact's day), of a campaign, of a campaign and a
-- month or a quarter, of a wave (campaign and cycle), of a category or a tenure (and a campaign). Revenue for a breakdown by these (with
-- attributes, and --where, which keep or drop a contact whole) adds up the flagged rows instead of
-- grouping every answer by contact (ReplicaQueries.storedLatest says when). Derived in DuckDB: every answer of
-- a contact whose answers or revenue a sync reloads is computed again (replica-apply.sql).
create table answer (
    campaign_id              bigint   not null,
    day                      date     not null,
    month                    date     not null,
    quarter                  date     not null,
    cycle                    varchar  not null,
    contact_id               bigint   not null,
    response_id              bigint   not null,
    score                    smallint not null,
    channel                  varchar,           -- the fact's credited channel
    at_us                    bigint   not null, -- the fact's
    received_us              bigint   not null,
    revenue                  decimal(18, 6),    -- the contact's where it fits (up to 6 decimals, under 10^12):
    revenue_wide             decimal(38, 12),   -- summed 2.5 times faster than here, where it is otherwise
    revenue_scale            integer,           -- as contact has it
    churned_at               date,
    onboarded_us             bigint,
    latest_overall           boolean  not null,
    latest_month             boolean  not null,
    latest_quarter           boolean  not null,
    latest_campaign          boolean  not null,
    latest_campaign_month    boolean  not null,
    latest_campaign_quarter  boolean  not null,
    latest_wave              boolean  not null,
    latest_category          boolean  not null, -- of the answers in the same category
    latest_campaign_category boolean  not null,
    latest_tenure            boolean  not null, -- of the answers at the same tenure (dim-tenure)
    latest_campaign_tenure   boolean  not null
);

-- The themes answers mention, on their invitation's day (so a day's reload brings them).
create table mention (
    campaign_id  bigint  not null,
    day          date    not null,
    response_id  bigint  not null,
    theme_key    varchar not null
);

-- Every theme (small: reloaded whole at each sync).
create table theme (
    key  varchar primary key
);

-- The keys of what a sync reloads (report/ReportReplica, replica-apply.sql).
create table changed_day (campaign_id bigint, day date);
create table changed_contact (id bigint);
-- The contacts whose answers a sync computes again: of the answers dropped and read, and changed_contact.
create table changed_answerer (id bigint);

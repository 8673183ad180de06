package io.surveycast.plan;

import static io.surveycast.db.Tables.CAMPAIGN;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.CaseConditionStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The SQL of planning. One statement per campaign, instant and range of contact ids selects the
 * due cycles, decides audience, sample, channel, consent, fatigue and send window for every
 * candidate in PostgreSQL, and inserts the invitations and their invite messages together; the
 * candidates leave out what is planned already and the unique key (campaign, contact, cycle)
 * refuses duplicates, so a second run inserts nothing. A contact's decisions
 * only depend on its own rows, so ranges of contact ids can be planned independently.
 */
final class PlannerQueries {
    /** Serialises planners across all nodes, so fatigue sees every invitation planned before it. */
    private static final long PLANNING_LOCK = 0x5355_5256_4559L;

    /** The planning statements, in src/main/resources/sql/plan.sql. */
    private static final NamedSql SQL = NamedSql.of("plan");

    /* The candidate statements of the lifecycle triggers and of a wave, by name (see plan.sql). */
    static final String ONBOARDING = "onboarding-candidates";
    static final String RENEWAL = "renewal-candidates";
    static final String WAVE = "wave-candidates";
    static final String EVENT = "event-candidates";

    /** The position of a contact within a spread wave: its rank by a hash of its id, over the count. */
    static final String SPREAD_POSITION =
            "((row_number() over (order by hashint8(c.id), c.id) - 1)::float8 / count(*) over ())";

    /** Takes the planning lock until the end of the transaction. */
    void lock(DSLContext tx) {
        tx.select(DSL.field("pg_advisory_xact_lock({0})", Object.class, DSL.val(PLANNING_LOCK)))
                .fetch();
    }

    /** Takes the same lock for the connection's session, across transactions, until {@link #unlockSession}. */
    void lockSession(DSLContext session) {
        session.select(DSL.field("pg_advisory_lock({0})", Object.class, DSL.val(PLANNING_LOCK)))
                .fetch();
    }

    void unlockSession(DSLContext session) {
        session.select(DSL.field("pg_advisory_unlock({0})", Object.class, DSL.val(PLANNING_LOCK)))
                .fetch();
    }

    List<PlanCampaign> campaigns(DSLContext dsl, java.util.function.Function<String, io.surveycast.campaign.CampaignDefinition> parse) {
        List<PlanCampaign> all = new ArrayList<>();
        for (var r : dsl.selectFrom(CAMPAIGN).orderBy(CAMPAIGN.PRIORITY.desc(), CAMPAIGN.KEY).fetch()) {
            all.add(new PlanCampaign(r.getId(), r.getKey(), r.getStatus(), r.getPriority(),
                    parse.apply(r.getDefinition().data())));
        }
        return all;
    }

    /**
     * A candidate statement of plan.sql ({@link #ONBOARDING}, {@link #WAVE}, ...) by name, and its
     * own values (bind values or query parts).
     */
    record Candidates(String statement, Map<String, Object> values) {
    }

    /**
     * Runs the planning statement for the candidates whose contact id is in [lo, hi); adds what
     * it inserted to {@code counts}.
     */
    void plan(DSLContext tx, PlanCampaign campaign, Instant at, Instant now, Candidates candidates, long lo, long hi,
              FatiguePolicy fatigue, List<Ahead> ahead, PlanCounts counts) {
        var d = campaign.definition();
        // the range is inlined: each batch gets a plan made for its own bounds
        Params params = new Params()
                .part("lo", DSL.inline(lo))
                .part("hi", DSL.inline(hi))
                .value("campaign_id", campaign.id())
                .value("campaign_tz", d.timezone())
                .value("at", at.atOffset(ZoneOffset.UTC))
                .value("now", now.atOffset(ZoneOffset.UTC))
                .part("in_sample", sample(campaign))
                .value("channels", d.channels().toArray(String[]::new))
                .value("late_applies", !campaign.triggerType().equals("recurring"))
                .value("lateness", campaign.maxLateness().toSeconds() + " seconds")
                .value("min_gap", fatigue.minDaysBetweenSurveys() + " days")
                .value("max_year", fatigue.maxSurveysPerYear())
                .value("max_week", fatigue.maxMessagesPerWeek())
                .value("expires", campaign.expiresAfter().toPgInterval())
                .part("email_window", campaign.window("email").sql())
                .part("sms_window", campaign.window("sms").sql())
                .part("email_all_window", campaign.window("email").inAllZones())
                .part("sms_all_window", campaign.window("sms").inAllZones())
                .part("smsw_window", ChannelWindow.of(
                        d.sendWindow() == null ? null : io.surveycast.campaign.SendWindow.parse(d.sendWindow()), false).sql())
                .part("audience", audience(d.audience().match()))
                .part("channel_choice", channelChoice(d.channels()))
                .value("ahead_until", aheadUntil(campaign, at, fatigue, ahead));
        aheadColumns(params, ahead);
        QueryPart aheadQueries = null;
        for (int n = 0; n < ahead.size(); n++) {
            QueryPart one = aheadQuery(params, n, ahead.get(n), fatigue);
            aheadQueries = aheadQueries == null ? one
                    : SQL.get("union-all").sql(new Params().part("left", aheadQueries).part("right", one));
        }
        params.part("ahead_queries", aheadQueries == null ? SQL.get("nothing-ahead").sql() : aheadQueries);
        Params own = params.copy().part("contact_columns", SQL.get("contact-columns").sql(params));
        candidates.values().forEach((name, value) -> {
            if (value instanceof QueryPart part) {
                own.part(name, part);
            } else {
                own.value(name, value);
            }
        });
        params.part("candidates", SQL.get(candidates.statement()).sql(own));
        for (Record r : SQL.get("plan").query(tx, params).fetch()) {
            long n = r.get("n", Long.class);
            String status = r.get("status", String.class);
            if (status.equals("planned")) {
                counts.addInvite(r.get("channel", String.class), n);
                String defer = r.get("defer_reason", String.class);
                if (defer != null) {
                    counts.addDefer(defer, n);
                }
            } else {
                counts.addSkip(r.get("skip_reason", String.class), n);
            }
        }
    }

    /** The lowest and highest contact id, or null when there are no contacts. */
    long[] contactIdSpan(DSLContext dsl) {
        var r = dsl.select(DSL.min(io.surveycast.db.Tables.CONTACT.ID), DSL.max(io.surveycast.db.Tables.CONTACT.ID))
                .from(io.surveycast.db.Tables.CONTACT).fetchOne();
        return r == null || r.value1() == null ? null : new long[] {r.value1(), r.value2()};
    }

    /**
     * A higher-priority campaign whose next survey of a contact is known in advance, with its
     * effective fatigue limits, for the look-ahead: an onboarding or renewal campaign ({@code fire}
     * null: the trigger is the contact's), or one firing of a recurring campaign's cron
     * ({@code fire} and its {@code cycle}).
     */
    record Ahead(PlanCampaign campaign, FatiguePolicy fatigue, Instant fire, String cycle) {
        Ahead(PlanCampaign campaign, FatiguePolicy fatigue) {
            this(campaign, fatigue, null, null);
        }
    }

    /** Windows further ahead can be neither within the gap of this invitation nor in its year. */
    private static java.time.OffsetDateTime aheadUntil(PlanCampaign campaign, Instant at, FatiguePolicy fatigue, List<Ahead> ahead) {
        long horizonDays = 365;
        for (Ahead h : ahead) {
            horizonDays = Math.max(horizonDays, Math.max(fatigue.minDaysBetweenSurveys(), h.fatigue().minDaysBetweenSurveys()));
        }
        return at.plus(campaign.expiresAfter().approximate()).plus(java.time.Duration.ofDays(horizonDays + 1))
                .atOffset(ZoneOffset.UTC);
    }

    /** The look-ahead query of the n-th higher-priority campaign, over the candidates {@code sk}. */
    private static QueryPart aheadQuery(Params shared, int n, Ahead h, FatiguePolicy fatigue) {
        var d = h.campaign().definition();
        boolean onboarding = h.campaign().triggerType().equals("onboarding");
        boolean wave = h.fire() != null;
        long widen = Math.max(0, h.fatigue().minDaysBetweenSurveys() - fatigue.minDaysBetweenSurveys());
        List<Condition> reach = new ArrayList<>();
        for (String channel : d.channels()) {
            reach.add(DSL.condition(okColumn("sk", channel)));
        }
        Params p = shared.copy()
                .value("other_id", h.campaign().id())
                .value("other_offset", d.trigger().offset() == null ? "0 seconds"
                        : io.surveycast.campaign.IsoOffset.parse(d.trigger().offset()).toPgInterval())
                .value("other_tz", d.timezone())
                .value("other_widen", widen + " days")
                .value("other_expires", h.campaign().expiresAfter().toPgInterval())
                .value("other_lateness", h.campaign().maxLateness().toSeconds() + " seconds")
                .value("other_max_year", h.fatigue().maxSurveysPerYear())
                .part("other_in", DSL.field(DSL.name("sk", inColumn(n)), Boolean.class))
                .part("other_reach", reach.isEmpty() ? DSL.falseCondition() : DSL.or(reach));
        if (wave) {
            p.value("other_fire", h.fire().atOffset(ZoneOffset.UTC)).value("other_cycle", h.cycle());
        } else {
            p.part("other_cycle", onboarding ? DSL.inline("onboarding") : SQL.get("ahead-cycle-renewal").sql());
        }
        p.part("other_trigger", SQL.get(wave ? "ahead-trigger-wave" : onboarding ? "ahead-trigger-onboarding"
                : "ahead-trigger-renewal").sql(p));
        return SQL.get("ahead").sql(p);
    }

    /** The column saying whether the n-th look-ahead campaign would survey the candidate. */
    private static String inColumn(int n) {
        return "h" + n + "_in";
    }

    /** What the look-ahead needs of each candidate: selected by the candidate queries, kept by {@code sk}. */
    private static void aheadColumns(Params params, List<Ahead> ahead) {
        if (ahead.isEmpty()) {
            params.part("ahead_contact_columns", DSL.sql("")).part("ahead_sk_columns", DSL.sql(""));
            return;
        }
        List<QueryPart> selected = new ArrayList<>();
        List<QueryPart> kept = new ArrayList<>();
        for (int n = 0; n < ahead.size(); n++) {
            selected.add(SQL.get("ahead-in-column").sql(new Params()
                    .part("other_audience", audience(ahead.get(n).campaign().definition().audience().match()))
                    .part("other_sample", sample(ahead.get(n).campaign()))
                    .part("other_in", DSL.name(inColumn(n)))));
            kept.add(DSL.name(inColumn(n)));
        }
        params.part("ahead_contact_columns", SQL.get("ahead-contact-columns").sql(new Params().part("in_columns", DSL.list(selected))))
                .part("ahead_sk_columns", SQL.get("ahead-sk-columns").sql(new Params().part("in_columns", DSL.list(kept))));
    }

    private static QueryPart sample(PlanCampaign campaign) {
        double sample = campaign.definition().audience().sample();
        return sample >= 1 ? DSL.inline(true)
                : DSL.field("sample_point({0}, c.external_id) < {1}", DSL.val(campaign.key()), DSL.val(sample));
    }

    /** Whether the contact {@code c}'s attributes match the audience. */
    private static QueryPart audience(Map<String, List<String>> match) {
        if (match.isEmpty()) {
            return DSL.inline(true);
        }
        List<Condition> conditions = new ArrayList<>();
        for (var entry : match.entrySet()) {
            conditions.add(DSL.condition("(c.attributes ->> {0}) = any({1})",
                    DSL.val(entry.getKey()), DSL.val(entry.getValue().toArray(String[]::new))));
        }
        return DSL.field(DSL.and(conditions));
    }

    /** The first of the campaign's channels (in its order) by which candidate {@code e} can be reached. */
    private static QueryPart channelChoice(List<String> channels) {
        CaseConditionStep<String> choice = null;
        for (String channel : channels) {
            Condition ok = DSL.condition(okColumn("e", channel));
            choice = choice == null ? DSL.when(ok, DSL.inline(channel)) : choice.when(ok, DSL.inline(channel));
        }
        return choice == null ? DSL.inline(null, String.class) : choice;
    }

    /** Whether the candidate (table alias {@code table}) can be reached on the channel: its column email_ok or sms_ok. */
    private static Field<Boolean> okColumn(String table, String channel) {
        return DSL.field(DSL.name(table, switch (channel) {
            case "email" -> "email_ok";
            case "sms" -> "sms_ok";
            default -> throw new IllegalArgumentException("unknown channel " + channel);
        }), Boolean.class);
    }

    /** The contact's details, suppressions and survey history, as lines of text for plan --explain. */
    String explain(DSLContext tx, PlanCampaign campaign, String externalId) {
        var c = io.surveycast.db.Tables.CONTACT;
        var i = io.surveycast.db.Tables.INVITATION;
        var s = io.surveycast.db.Tables.SUPPRESSION;
        var contact = tx.selectFrom(c).where(c.EXTERNAL_ID.eq(externalId)).fetchOptional()
                .orElseThrow(() -> new io.surveycast.config.InvalidInputException(
                        "--explain: no contact with external_id " + externalId));
        StringBuilder out = new StringBuilder();
        String zone = contact.getTimezone() != null ? contact.getTimezone() + " (contact)"
                : contact.getPhoneZones() != null ? String.join(", ", contact.getPhoneZones())
                        + " (the phone number may be in any: SMS only when 08:00-21:00 in every one)"
                : contact.getPhoneTimezone() != null ? contact.getPhoneTimezone() + " (phone number)"
                : campaign.definition().timezone() != null ? campaign.definition().timezone() + " (campaign)" : "UTC (default)";
        out.append("contact ").append(externalId).append(": time zone ").append(zone)
                .append(", email ").append(contact.getEmail() == null ? "-" : contact.getEmail())
                .append(", phone ").append(contact.getPhone() == null ? "-" : contact.getPhone()).append('\n');
        var suppressions = tx.selectFrom(s).where(s.CONTACT_ID.eq(contact.getId())).fetch();
        out.append("suppressed: ").append(suppressions.isEmpty() ? "none" : suppressions.stream()
                .map(r -> r.getChannel() + " (" + r.getReason() + " at " + r.getAt().toInstant() + ")")
                .collect(java.util.stream.Collectors.joining(", "))).append('\n');
        out.append("invitations:\n");
        var rows = tx.select(CAMPAIGN.KEY, i.CYCLE, i.STATUS, i.CHANNEL, i.SKIP_REASON, i.DEFER_REASON, i.TRIGGER_AT,
                        i.INVITE_AT, i.EXPIRES_AT, i.SEND_ZONES)
                .from(i).join(CAMPAIGN).on(CAMPAIGN.ID.eq(i.CAMPAIGN_ID))
                .where(i.CONTACT_ID.eq(contact.getId()))
                .orderBy(i.TRIGGER_AT, CAMPAIGN.KEY)
                .fetch();
        if (rows.isEmpty()) {
            out.append("  none: nothing of ").append(campaign.key()).append(" is due for this contact at this instant\n");
        }
        for (var r : rows) {
            out.append("  ").append(r.value1().equals(campaign.key()) ? "* " : "  ").append(r.value1()).append(' ')
                    .append(r.value2()).append(": ").append(r.value3());
            if (r.value5() != null) {
                out.append(" (").append(r.value5()).append(')');
            } else {
                out.append(" by ").append(r.value4()).append(", invite at ").append(r.value8().toInstant());
                if (r.value10() != null) {
                    out.append(" (send window in ").append(String.join(" and ", r.value10())).append(')');
                }
                if (r.value6() != null) {
                    out.append(" (deferred: ").append(r.value6()).append(')');
                }
                out.append(", expires ").append(r.value9().toInstant());
            }
            out.append(", due ").append(r.value7().toInstant()).append('\n');
        }
        return out.toString();
    }
}

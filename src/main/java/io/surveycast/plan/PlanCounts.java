package io.surveycast.plan;

import java.util.Map;
import java.util.TreeMap;

/** What planning did, or would do: invitations per channel, skips and deferrals per reason. */
public final class PlanCounts {
    private final Map<String, Long> invite = new TreeMap<>();
    private final Map<String, Long> skip = new TreeMap<>();
    private final Map<String, Long> defer = new TreeMap<>();
    private final Map<String, Long> remind = new TreeMap<>();
    private final Map<String, Long> remindSkip = new TreeMap<>();
    private long expired;
    private long promoterEmail;
    private final Map<String, Long> promoterEmailSkip = new TreeMap<>();

    public PlanCounts() {
        invite.put("email", 0L);
        invite.put("sms", 0L);
        remind.put("email", 0L);
        remind.put("sms", 0L);
    }

    void addReminder(String channel, long n) {
        remind.merge(channel, n, Long::sum);
    }

    void addReminderSkip(String reason, long n) {
        remindSkip.merge(reason, n, Long::sum);
    }

    void addExpired(long n) {
        expired += n;
    }

    /** Promoter follow-up emails by outcome: {@code queued}, or the reason one will not go. */
    void addPromoterEmails(String outcome, long n) {
        if (outcome.equals("queued")) {
            promoterEmail += n;
        } else {
            promoterEmailSkip.merge(outcome, n, Long::sum);
        }
    }

    void addInvite(String channel, long n) {
        invite.merge(channel, n, Long::sum);
    }

    void addSkip(String reason, long n) {
        skip.merge(reason, n, Long::sum);
    }

    void addDefer(String reason, long n) {
        defer.merge(reason, n, Long::sum);
    }

    public void addAll(PlanCounts other) {
        other.invite.forEach(this::addInvite);
        other.skip.forEach(this::addSkip);
        other.defer.forEach(this::addDefer);
        other.remind.forEach(this::addReminder);
        other.remindSkip.forEach(this::addReminderSkip);
        expired += other.expired;
        promoterEmail += other.promoterEmail;
        other.promoterEmailSkip.forEach((reason, n) -> promoterEmailSkip.merge(reason, n, Long::sum));
    }

    /** Reminder messages queued, per channel. */
    public Map<String, Long> remind() {
        return remind;
    }

    /** Reminder steps not sent, per reason. */
    public Map<String, Long> remindSkip() {
        return remindSkip;
    }

    /** Promoter follow-up emails queued (email only). */
    public long promoterEmail() {
        return promoterEmail;
    }

    /** Promoter follow-up emails that will not go, per reason (stored as cancelled messages). */
    public Map<String, Long> promoterEmailSkip() {
        return promoterEmailSkip;
    }

    /** Invitations that expired. */
    public long expired() {
        return expired;
    }

    public Map<String, Long> invite() {
        return invite;
    }

    public Map<String, Long> skip() {
        return skip;
    }

    public Map<String, Long> defer() {
        return defer;
    }

    public long invited() {
        return invite.values().stream().mapToLong(Long::longValue).sum();
    }
}

package io.surveycast.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * What the SMS provider later tells about a message it accepted (Twilio's status callback):
 * {@code delivered} makes a sent message delivered (and its invitation, when it was the invite);
 * {@code undelivered} and {@code failed} make it failed with {@code twilio <ErrorCode>}. A status
 * only moves forward from {@code sent}: the same callback twice, or a late {@code sent} after
 * {@code delivered}, changes nothing. Carrier errors that say the number cannot receive SMS
 * suppress SMS for the contact:
 * <ul>
 * <li>30005 unknown destination, 30006 landline or unreachable carrier, 30004 blocked:
 *     {@code hard_bounce};</li>
 * <li>21610 the recipient replied STOP: {@code stop};</li>
 * <li>not 30003 (handset off or out of coverage: Twilio calls it usually temporary), nor 30007
 *     (filtered for its content, not a fact about the number): the message fails, the contact stays
 *     reachable.</li>
 * </ul>
 */
public final class DeliveryReceipts {
    static final String SOURCE = "twilio-status";
    static final Map<Integer, String> SUPPRESSING = Map.of(
            30004, "hard_bounce",
            30005, "hard_bounce",
            30006, "hard_bounce",
            21610, "stop");
    private final DSLContext dsl;
    private final Clock clock;
    private final DeliveryReceiptQueries queries = new DeliveryReceiptQueries();
    private final OutboxQueries outbox = new OutboxQueries();

    public DeliveryReceipts(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** What a status callback changed. */
    public enum Outcome { DELIVERED, FAILED, UNCHANGED, UNKNOWN_MESSAGE }

    /**
     * Records Twilio's {@code MessageStatus} for the message with this provider id ({@code MessageSid});
     * {@code errorCode} is Twilio's {@code ErrorCode}, null when absent.
     */
    public Outcome record(String providerId, String status, Integer errorCode) {
        if (providerId == null || providerId.isBlank() || status == null) {
            return Outcome.UNCHANGED;
        }
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            Instant now = clock.instant();
            Optional<DeliveryReceiptQueries.Sent> found = queries.lockByProviderId(tx, providerId);
            if (found.isEmpty()) {
                return Outcome.UNKNOWN_MESSAGE;
            }
            DeliveryReceiptQueries.Sent message = found.get();
            switch (status.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "delivered" -> {
                    if (!queries.delivered(tx, message, now)) {
                        return Outcome.UNCHANGED;
                    }
                    return Outcome.DELIVERED;
                }
                case "undelivered", "failed" -> {
                    String error = "twilio " + (errorCode == null ? status.strip().toLowerCase(java.util.Locale.ROOT) : errorCode);
                    if (!queries.failed(tx, message, error, now)) {
                        return Outcome.UNCHANGED;
                    }
                    String reason = errorCode == null ? null : SUPPRESSING.get(errorCode);
                    if (reason != null) {
                        outbox.suppress(tx, message.contactId(), "sms", reason, SOURCE, now);
                    }
                    return Outcome.FAILED;
                }
                default -> {
                    return Outcome.UNCHANGED; // queued, sending, sent, ...: what we already know
                }
            }
        });
    }
}

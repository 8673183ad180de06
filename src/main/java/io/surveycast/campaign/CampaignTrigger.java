package io.surveycast.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When a campaign surveys a contact, one record per kind of trigger: a date of the contact plus an
 * offset ({@link Onboarding}, {@link Renewal}), the firings of a cron ({@link Recurring}), or an
 * event received through the API ({@link Event}).
 */
public sealed interface CampaignTrigger {

    /** The kind as campaign files name it ({@code onboarding}, {@code renewal}, {@code recurring}, {@code event}). */
    String type();

    /** A trigger on a date of the contact ({@code onboarded_at}, {@code renewal_date}): the contact's survey is known in advance. */
    sealed interface ContactDate extends CampaignTrigger {
        /** After the date (or, for a renewal, before it when negative). */
        IsoOffset offset();
    }

    /** Once per contact, {@code offset} after it was onboarded. */
    record Onboarding(IsoOffset offset) implements ContactDate {
        @Override
        public String type() {
            return "onboarding";
        }
    }

    /** Each renewal date of the contact, plus {@code offset} (usually negative: before it). */
    record Renewal(IsoOffset offset) implements ContactDate {
        @Override
        public String type() {
            return "renewal";
        }
    }

    /** Each firing of {@code cron}; a wave's sends spread over {@code spread} (null: all at the firing). */
    record Recurring(CampaignCron cron, IsoOffset spread) implements CampaignTrigger {
        @Override
        public String type() {
            return "recurring";
        }

        /** How long a wave's sends are spread over (zero: none). */
        public Duration spreadLength() {
            return spread == null ? Duration.ZERO : spread.approximate();
        }
    }

    /** Each {@code event} of a contact received through {@code POST /api/events}, after {@code delay} (null: at once). */
    record Event(String event, IsoOffset delay) implements CampaignTrigger {
        @Override
        public String type() {
            return "event";
        }
    }

    /**
     * The stored form: every field of every kind, null where this kind has none, as campaigns
     * were stored before triggers were typed (so that their hash, which decides {@code unchanged}, stays).
     */
    @JsonValue
    default Map<String, Object> stored() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type());
        json.put("offset", this instanceof ContactDate date ? date.offset() : null);
        json.put("cron", this instanceof Recurring recurring ? recurring.cron() : null);
        json.put("spread", this instanceof Recurring recurring ? recurring.spread() : null);
        json.put("event", this instanceof Event event ? event.event() : null);
        json.put("delay", this instanceof Event event ? event.delay() : null);
        return json;
    }
}

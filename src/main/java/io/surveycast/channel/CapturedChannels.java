package io.surveycast.channel;

import java.time.Clock;
import org.jooq.DSLContext;

/**
 * The channels used when none is configured (development mode's captured mail and SMS sandbox).
 * Owned here and implemented by devmode, so channel does not depend on devmode (which implements
 * channel's Channel); the wiring hands it to {@link Channels#fromSettings}.
 */
public interface CapturedChannels {
    Channel mail(DSLContext dsl, Clock clock, String from, int connections);

    Channel sms(DSLContext dsl, Clock clock);
}

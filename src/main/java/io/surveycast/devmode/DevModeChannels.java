package io.surveycast.devmode;

import io.surveycast.channel.CapturedChannels;
import io.surveycast.channel.Channel;
import java.time.Clock;
import org.jooq.DSLContext;

/** Development mode's channels: email captured in the database and GreenMail, SMS in the sandbox. */
public final class DevModeChannels implements CapturedChannels {
    @Override
    public Channel mail(DSLContext dsl, Clock clock, String from, int connections) {
        return new CapturedMailChannel(dsl, clock, from, connections);
    }

    @Override
    public Channel sms(DSLContext dsl, Clock clock) {
        return new SmsSandbox(dsl, clock);
    }
}

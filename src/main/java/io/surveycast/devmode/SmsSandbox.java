package io.surveycast.devmode;

import io.surveycast.channel.Channel;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import io.surveycast.channel.sms.SmsSegments;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jooq.DSLContext;

/** Development mode's SMS: nothing leaves the machine; each message is recorded for {@code /dev/sms}. */
final class SmsSandbox implements Channel {
    private final DSLContext dsl;
    private final Clock clock;
    private final DevCaptureQueries queries = new DevCaptureQueries();

    public SmsSandbox(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        queries.insert(dsl, "sms", message.id(), message.to(), null, message.text(), clock.instant());
        byte[] sid = new byte[16];
        ThreadLocalRandom.current().nextBytes(sid);
        return new SendResult.Sent("SM" + HexFormat.of().formatHex(sid), SmsSegments.count(message.text()));
    }
}

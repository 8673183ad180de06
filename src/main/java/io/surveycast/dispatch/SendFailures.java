package io.surveycast.dispatch;

import io.surveycast.channel.SendResult;
import org.apache.camel.Exchange;

/** The send routes' error handler: an unexpected exception in a channel means try again later, never lose the message. */
public final class SendFailures {
    public SendResult unexpected(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return new SendResult.Retry("unexpected error in the channel: " + (e == null ? "unknown" : e.toString()));
    }
}

package io.surveycast.dispatch;

import io.surveycast.channel.SendResult;

/**
 * The send routes' error handler: an unexpected exception in a channel means try again later, never
 * lose the message. The route hands over the exception it caught (send-errors.camel.yaml).
 */
public final class SendFailures {
    public SendResult unexpected(Throwable e) {
        return new SendResult.Retry("unexpected error in the channel: " + (e == null ? "unknown" : e.toString()));
    }
}

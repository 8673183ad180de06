package io.surveycast.channel;

/** A way out to people: takes a rendered message and says what became of it. Never throws for provider errors. */
public interface Channel {
    SendResult send(OutboundMessage message);
}

package io.surveycast.dispatch;

import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;

/** Where the dispatcher hands a rendered message to its channel (through the Camel send routes). */
@FunctionalInterface
interface ChannelGateway {
    SendResult send(OutboundMessage message);
}

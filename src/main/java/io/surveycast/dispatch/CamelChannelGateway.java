package io.surveycast.dispatch;

import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;

/** Sends each message through the route {@code direct:send-email} or {@code direct:send-sms}. */
final class CamelChannelGateway implements ChannelGateway {
    private final CamelContext camel;
    private volatile ProducerTemplate producer;
    private final Map<String, Endpoint> routes = new ConcurrentHashMap<>(); // looked up once, not per message

    public CamelChannelGateway(CamelContext camel) {
        this.camel = camel;
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = camel.createProducerTemplate();
                }
            }
        }
        return producer;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        try {
            Object result = producer().requestBody(
                    routes.computeIfAbsent(message.channel(), c -> camel.getEndpoint("direct:send-" + c)), message);
            return result instanceof SendResult r ? r
                    : new SendResult.Retry("the send route answered " + (result == null ? "nothing" : result.getClass().getName()));
        } catch (RuntimeException e) {
            return new SendResult.Retry("send route failed: " + e.getMessage());
        }
    }
}

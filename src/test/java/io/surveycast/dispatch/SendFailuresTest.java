package io.surveycast.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

/** The send routes as shipped: a channel that throws instead of answering gives "retry later" naming the exception. */
class SendFailuresTest {

    /** A channel bean that fails the way a bug in a channel would. */
    public static final class ThrowingChannel {
        public SendResult send(OutboundMessage message) {
            throw new IllegalStateException("boom on message " + message.id());
        }
    }

    @Test
    void aChannelThatThrowsMeansRetryLaterWithTheExceptionItThrew() throws Exception {
        try (var camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("emailChannel", new ThrowingChannel());
            camel.getRegistry().bind("smsChannel", new ThrowingChannel());
            camel.getRegistry().bind("sendFailures", new SendFailures());
            var resources = PluginHelper.getResourceLoader(camel);
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    resources.resolveResource("file:routes/send-errors.camel.yaml"),
                    resources.resolveResource("file:routes/send.camel.yaml"));
            camel.start();

            SendResult result = new CamelChannelGateway(camel).send(new OutboundMessage(42, "email", "a@example.com",
                    null, "s", "t", null, Map.of(), "<m42@localhost>", Instant.EPOCH, 1));

            assertThat(result).isEqualTo(new SendResult.Retry(
                    "unexpected error in the channel: java.lang.IllegalStateException: boom on message 42"));
        }
    }
}

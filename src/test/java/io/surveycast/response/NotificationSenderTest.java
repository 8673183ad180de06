package io.surveycast.response;

import static io.surveycast.db.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.channel.TemplateStore;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.HookReceiver;
import io.surveycast.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A webhook receiver that fails is tried again later with backoff, and the delivery is not lost. */
class NotificationSenderTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(T);

    @Test
    void aFailingReceiverIsRetriedWithBackoffUntilItTakesTheWebhook() throws Exception {
        try (HookReceiver receiver = new HookReceiver()) {
            var sender = new NotificationSender(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"),
                    new io.surveycast.channel.Channel() {
                        @Override
                        public io.surveycast.channel.SendResult send(io.surveycast.channel.OutboundMessage message) {
                            throw new AssertionError("no email expected");
                        }
                    }, new TemplateStore(Optional.empty()),
                    "k", "surveys@acme.example", new io.surveycast.config.OutgoingUrls(true)); // a local receiver
            long response = ResponsesFixture.response(db.dsl(), clock, 9);
            new ResponseQueries().notify(db.dsl(), response, "webhook", "response.created", receiver.url("/hook"),
                    "{\"event\":\"response.created\"}", clock.instant());
            receiver.answer(500);
            assertThat(sender.sendDue()).isEqualTo(1);
            var row = db.dsl().selectFrom(NOTIFICATION).fetchSingle();
            assertThat(row.getStatus()).isEqualTo("queued");
            assertThat(row.getAttempts()).isEqualTo(1);
            assertThat(row.getLastError()).isEqualTo("HTTP 500");
            assertThat(Duration.between(clock.instant(), row.getNextAttemptAt().toInstant())).isBetween(Duration.ofMillis(2000),
                    Duration.ofSeconds(6));
            assertThat(sender.sendDue()).as("not due yet").isZero();

            receiver.answer(204);
            clock.advance(Duration.ofSeconds(6));
            assertThat(sender.sendDue()).isEqualTo(1);
            row = db.dsl().selectFrom(NOTIFICATION).fetchSingle();
            assertThat(row.getStatus()).isEqualTo("sent");
            assertThat(receiver.received("/hook")).hasSize(2)
                    .allSatisfy(r -> assertThat(r.header("X-Surveycast-Signature")).startsWith("sha256="));
        }
    }

    @Test
    void aWebhookToAPrivateAddressIsRefusedAtSendTimeAndFailedNotRetried() throws Exception {
        try (HookReceiver receiver = new HookReceiver()) {
            var sender = new NotificationSender(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"),
                    null, new TemplateStore(Optional.empty()), "k", "surveys@acme.example");
            long response = ResponsesFixture.response(db.dsl(), clock, 9);
            new ResponseQueries().notify(db.dsl(), response, "webhook", "response.created", receiver.url("/hook"),
                    "{\"event\":\"response.created\"}", clock.instant());

            assertThat(sender.sendDue()).isEqualTo(1);

            var row = db.dsl().selectFrom(NOTIFICATION).fetchSingle();
            assertThat(row.getStatus()).isEqualTo("failed");
            assertThat(row.getLastError()).contains("127.0.0.1 is a loopback address")
                    .contains("SURVEYCAST_WEBHOOK_ALLOW_PRIVATE");
            clock.advance(Duration.ofHours(2));
            assertThat(sender.sendDue()).as("not tried again").isZero();
            assertThat(receiver.received("/hook")).as("never called").isEmpty();
        }
    }

    @Test
    void aNameThatResolvesToAPublicAddressForTheCheckAndToLoopbackForTheCallIsNeverCalled() throws Exception {
        try (HookReceiver receiver = new HookReceiver()) {
            // DNS rebinding: the receiver's own name answers a public address once (the check before
            // the send), then loopback (where the receiver is)
            var lookups = new java.util.concurrent.atomic.AtomicInteger();
            var outgoing = new io.surveycast.config.OutgoingUrls(false, host -> lookups.getAndIncrement() == 0
                    ? new java.net.InetAddress[] {java.net.InetAddress.getByName("93.184.215.14")}
                    : java.net.InetAddress.getAllByName(host));
            var sender = new NotificationSender(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"),
                    null, new TemplateStore(Optional.empty()), "k", "surveys@acme.example", outgoing);
            long response = ResponsesFixture.response(db.dsl(), clock, 9);
            String url = receiver.url("/hook").replace("127.0.0.1", "localhost");
            new ResponseQueries().notify(db.dsl(), response, "webhook", "response.created", url,
                    "{\"event\":\"response.created\"}", clock.instant());

            assertThat(sender.sendDue()).isEqualTo(1);

            assertThat(receiver.received("/hook")).as("never called").isEmpty();
            assertThat(lookups.get()).as("the call resolved the name again, through the check").isGreaterThanOrEqualTo(2);
            var row = db.dsl().selectFrom(NOTIFICATION).fetchSingle();
            assertThat(row.getStatus()).isEqualTo("failed");
            assertThat(row.getLastError()).startsWith("permanent: refused " + url)
                    .contains("localhost is a loopback address").contains("SURVEYCAST_WEBHOOK_ALLOW_PRIVATE");
        }
    }
}

package io.surveycast.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoarseWriteTimeoutsTest {

    @Test
    void aTimerFiresAfterItsDeadlineUnlessCancelledFirst() throws Exception {
        CoarseWriteTimeouts timeouts = new CoarseWriteTimeouts();
        AtomicInteger fired = new AtomicInteger();
        var cancelled = timeouts.schedule(() -> fired.incrementAndGet(), 200, TimeUnit.MILLISECONDS);
        assertThat(cancelled.cancel(true)).isTrue();
        var firing = timeouts.schedule(() -> "closed " + fired.incrementAndGet(), 200, TimeUnit.MILLISECONDS);
        assertThat(firing.get(5, TimeUnit.SECONDS)).isEqualTo("closed 1");
        assertThat(firing.cancel(true)).as("too late to cancel").isFalse();
        Thread.sleep(2 * CoarseWriteTimeouts.TICK.toMillis());
        assertThat(fired).as("the cancelled one never ran").hasValue(1);
    }

    /** A server that takes the envelope, then stops reading in the middle of the message. */
    @Test
    void aServerThatStopsReadingMidMessageTimesTheSendOutInsteadOfHangingIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> stall(server));
            SmtpSettings settings = new SmtpSettings("127.0.0.1", server.getLocalPort(), null, null, "none",
                    "surveys@acme.example", 1, Duration.ofSeconds(1), null, null);
            String huge = "x".repeat(70) + "\r\n";
            String html = huge.repeat(400_000); // 28 MB: more than the socket buffers hold
            try (SmtpEmailChannel channel = new SmtpEmailChannel(settings)) {
                long t0 = System.nanoTime();
                SendResult result = channel.send(new OutboundMessage(1, "email", "ann@example.com", null, "Hi",
                        "text", html, Map.of(), "<m1.i1@acme.example>", Instant.now()));
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(result).isInstanceOf(SendResult.Retry.class);
                assertThat(seconds).as("the 1 s write timeout, give or take a tick and composing").isLessThan(20);
            }
        }
    }

    private static void stall(ServerSocket server) {
        try (Socket client = server.accept()) {
            var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = client.getOutputStream();
            out.write("220 stalling ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
                out.write((switch (verb) {
                    case "EHLO" -> "250-stalling\r\n250 8BITMIME\r\n";
                    case "DATA" -> "354 go ahead\r\n";
                    default -> "250 ok\r\n";
                }).getBytes(StandardCharsets.US_ASCII));
                if (verb.equals("DATA")) {
                    Thread.sleep(60_000); // and read nothing more
                    return;
                }
            }
        } catch (Exception e) {
            // the client gave up
        }
    }
}

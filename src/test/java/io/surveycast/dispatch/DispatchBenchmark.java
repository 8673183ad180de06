package io.surveycast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.Database;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.ScriptedSmtpServer;
import io.surveycast.support.SendingNode;
import io.surveycast.support.TestDatabase;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark (not a unit test) of dispatch, run with src/test/bench/dispatch.sh:
 * {@code email N}: N emails to a local SMTP sink through the dispatcher (claim, check, render, send,
 * record) against a bare Jakarta Mail loop on as many reused connections, in the same run;
 * {@code sms SECONDS RATE}: SMS at RATE per second against a local Twilio stub answering after
 * 150 ms, the achieved rate measured at the stub.
 */
public final class DispatchBenchmark {
    static final Instant T = Instant.parse("2026-06-01T14:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);
    static final int CONNECTIONS = 4;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "email";
        if (mode.equals("email")) {
            email(args.length > 1 ? Integer.parseInt(args[1]) : 20_000);
        } else {
            sms(args.length > 1 ? Integer.parseInt(args[1]) : 60, args.length > 2 ? Integer.parseInt(args[2]) : 50);
        }
        System.exit(0);
    }

    static void email(int n) throws Exception {
        String url = TestDatabase.freshUrl();
        try (Database database = TestDatabase.open(url); ScriptedSmtpServer sink = new ScriptedSmtpServer("250 2.1.5 ok")) {
            plan(database, n, "email");
            double bareBefore = bareLoop(sink.port(), n);
            Map<String, String> env = new HashMap<>();
            env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
            env.put("SURVEYCAST_SMTP_PORT", Integer.toString(sink.port()));
            env.put("SURVEYCAST_SMTP_TLS", "none");
            env.put("SURVEYCAST_EMAIL_RATE", "0");
            env.put("SURVEYCAST_EMAIL_CONCURRENCY", Integer.toString(CONNECTIONS));
            int before = sink.accepted();
            try (SendingNode node = new SendingNode(TestDatabase.settings(url, env), CLOCK)) {
                long t0 = System.nanoTime();
                DispatchCounts counts;
                String heap;
                try (HeapWatch watch = new HeapWatch()) {
                    counts = node.dispatcher().drain(T);
                    heap = watch.report();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double rate = counts.total() / seconds;
                System.out.printf("dispatcher: %d emails in %.1f s = %.0f/s (sink accepted %d)%n", counts.total(), seconds,
                        rate, sink.accepted() - before);
                // the bare loop again, now that the JIT has compiled what both share: the ratio uses the faster
                double bareAfter = bareLoop(sink.port(), n);
                double bare = Math.max(bareBefore, bareAfter);
                System.out.printf("bare Jakarta Mail loop: %.0f/s before, %.0f/s after; ratio dispatcher/bare %.2f%n",
                        bareBefore, bareAfter, rate / bare);
                System.out.printf("heap while dispatching: %s; used after: %d MiB (max %d MiB)%n", heap, usedHeapMiB(),
                        Runtime.getRuntime().maxMemory() >> 20);
            }
        }
    }

    /** Compose and send N messages like ours (multipart/alternative, same size) on reused connections, no database. */
    static double bareLoop(int port, int n) throws Exception {
        // the same Jakarta Mail setting the channel makes (EmailComposer): no class path scan per MIME part
        System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        Session session = Session.getInstance(props);
        String html = new String(DispatchBenchmark.class.getResourceAsStream("/templates/email/nps-invite.html").readAllBytes());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new java.util.ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            workers.add(pool.submit(() -> {
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        MimeMessage m = new MimeMessage(session);
                        m.setFrom(new InternetAddress("surveys@localhost"));
                        m.setRecipient(Message.RecipientType.TO, new InternetAddress("user" + i + "@example.com"));
                        m.setSubject("How likely are you to recommend Acme?");
                        MimeBodyPart text = new MimeBodyPart();
                        text.setText("Hello " + i, "UTF-8");
                        MimeBodyPart part = new MimeBodyPart();
                        part.setText(html, "UTF-8", "html");
                        MimeMultipart alt = new MimeMultipart("alternative", text, part);
                        m.setContent(alt);
                        m.saveChanges();
                        transport.sendMessage(m, m.getAllRecipients());
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return n / seconds;
    }

    static void sms(int seconds, int rate) throws Exception {
        int n = seconds * rate;
        String url = TestDatabase.freshUrl();
        WireMockServer twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(64).jettyAcceptors(2));
        twilio.start();
        String sid = "AC0123456789abcdef0123456789abcdef";
        String path = "/2010-04-01/Accounts/" + sid + "/Messages.json";
        twilio.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(201).withFixedDelay(150)
                .withHeader("Content-Type", "application/json")
                .withBody(SmsDispatchTest.created("SM0123456789abcdef0123456789abcdef", "\"x\""))));
        try (Database database = TestDatabase.open(url)) {
            plan(database, n, "sms");
            Map<String, String> env = new HashMap<>();
            env.put("TWILIO_ACCOUNT_SID", sid);
            env.put("TWILIO_AUTH_TOKEN", "token");
            env.put("SURVEYCAST_SMS_FROM", "+15005550006");
            env.put("SURVEYCAST_TWILIO_API_URL", twilio.baseUrl());
            env.put("SURVEYCAST_SMS_RATE", Integer.toString(rate));
            env.put("SURVEYCAST_SMS_CONCURRENCY", Integer.toString(Math.max(10, rate / 4)));
            try (SendingNode node = new SendingNode(TestDatabase.settings(url, env), CLOCK)) {
                long t0 = System.nanoTime();
                DispatchCounts counts = node.dispatcher().drain(T);
                double wall = (System.nanoTime() - t0) / 1e9;
                List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlEqualTo(path)));
                requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
                double span = (requests.get(requests.size() - 1).getLoggedDate().getTime()
                        - requests.get(0).getLoggedDate().getTime()) / 1000.0;
                double achieved = (requests.size() - 1) / span;
                System.out.printf("sms: %d sent in %.1f s; %d requests at the stub over %.1f s = %.2f/s "
                                + "(configured %d/s, deviation %.1f%%)%n", counts.total(), wall, requests.size(), span,
                        achieved, rate, 100 * (achieved - rate) / rate);
                System.out.printf("heap used after: %d MiB%n", usedHeapMiB());
            }
        } finally {
            twilio.stop();
        }
    }

    static void plan(Database database, int n, String channel) {
        var dsl = database.dsl();
        dsl.execute("""
                insert into contact (external_id, email, phone, timezone, created_at, updated_at, onboarded_at)
                select 'c' || g, 'user' || g || '@example.com', '+1415' || lpad(g::text, 7, '0'), 'Europe/London',
                       now(), now(), timestamptz '2026-05-31 14:00:00+00'
                from generate_series(1, %d) g""".formatted(n));
        Fixtures.campaign(dsl, CLOCK, """
                key: bench
                name: Benchmark
                trigger: {type: onboarding, offset: P1D}
                channels: [%s]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite, sms: nps-invite}
                fatigue: {max-messages-per-week: 3}
                """.formatted(channel));
        new DueRunner(dsl, new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        dsl.execute("analyze");
    }

    /**
     * Samples the heap every 100 ms while the dispatcher runs: the most it held after a collection
     * (the live data, summed over the heap pools) and the most committed.
     */
    static final class HeapWatch implements AutoCloseable {
        private volatile long peakLive;
        private volatile long peakCommitted;
        private final Thread thread = Thread.ofPlatform().daemon().start(this::sample);

        private void sample() {
            while (!Thread.currentThread().isInterrupted()) {
                long live = 0;
                for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                }
                peakLive = Math.max(peakLive, live);
                peakCommitted = Math.max(peakCommitted, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }

        String report() {
            return "peak live heap after GC %d MiB, peak committed %d MiB".formatted(peakLive >> 20, peakCommitted >> 20);
        }
    }

    static long usedHeapMiB() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

}

package io.surveycast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.TemplateStore;
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
        if (mode.equals("overhead") || mode.equals("direct")) {
            overhead(args.length > 1 ? Integer.parseInt(args[1]) : 20_000, mode.equals("direct"));
        } else if (mode.equals("email")) {
            email(args.length > 1 ? Integer.parseInt(args[1]) : 20_000);
        } else {
            sms(args.length > 1 ? Integer.parseInt(args[1]) : 60, args.length > 2 ? Integer.parseInt(args[2]) : 50);
        }
        System.exit(0);
    }

    static void email(int n) throws Exception {
        String url = TestDatabase.freshUrl();
        Cpu.postgresOf(url);
        try (Database database = TestDatabase.open(url); ScriptedSmtpServer sink = new ScriptedSmtpServer("250 2.1.5 ok")) {
            plan(database, n, "email");
            OutboundMessage sample = sampleEmail(database.dsl());
            double bareBefore = bareLoop(sink.port(), n, sample);
            Map<String, String> env = new HashMap<>();
            env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
            env.put("SURVEYCAST_SMTP_PORT", Integer.toString(sink.port()));
            env.put("SURVEYCAST_SMTP_TLS", "none");
            env.put("SURVEYCAST_EMAIL_RATE", "0");
            env.put("SURVEYCAST_EMAIL_CONCURRENCY", Integer.toString(CONNECTIONS));
            int before = sink.accepted();
            try (SendingNode node = new SendingNode(TestDatabase.settings(url, env), CLOCK)) {
                if (Boolean.getBoolean("pgss")) {
                    database.dsl().execute("create extension if not exists pg_stat_statements");
                    database.dsl().execute("select pg_stat_statements_reset()");
                }
                long t0 = System.nanoTime();
                Cpu cpu0 = Cpu.now();
                Map<String, Long> threads0 = threadCpu();
                VmUse vm0 = VmUse.now();
                DispatchCounts counts;
                String heap;
                // the rate once the first fifth is out (the JIT has compiled the dispatcher's own code by then)
                long[] steadyAt = new long[1];
                Cpu[] steadyCpu = new Cpu[1];
                Thread steady = Thread.ofPlatform().daemon(true).start(() -> {
                    while (sink.accepted() - before < n / 5) {
                        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    }
                    steadyAt[0] = System.nanoTime();
                    steadyCpu[0] = Cpu.now();
                });
                try (HeapWatch watch = new HeapWatch()) {
                    counts = node.dispatcher().drain(T);
                    heap = watch.report();
                }
                long t1 = System.nanoTime();
                double seconds = (t1 - t0) / 1e9;
                double rate = counts.total() / seconds;
                Cpu end = Cpu.now();
                Cpu cpu = end.minus(cpu0);
                System.out.println("dispatcher JVM: " + VmUse.now().perEmail(vm0, n));
                steady.join();
                int rest = n - n / 5;
                Cpu steadyUse = end.minus(steadyCpu[0]);
                System.out.printf("dispatcher after the first fifth: %d emails at %.0f/s; CPU per email: JVM %.0f us, PostgreSQL %.0f us%n",
                        rest, rest / ((t1 - steadyAt[0]) / 1e9), steadyUse.jvmMicros() / rest, steadyUse.postgresMicros() / rest);
                System.out.println("dispatcher threads, CPU per email: " + threadCpuReport(threads0, threadCpu(), cpu, n));
                System.out.printf("dispatcher: %d emails in %.1f s = %.0f/s (sink accepted %d); CPU per email: JVM %.0f us (system %.0f), PostgreSQL %.0f us%n",
                        counts.total(), seconds, rate, sink.accepted() - before, cpu.jvmMicros() / n,
                        cpu.jvmSystemMicros() / n, cpu.postgresMicros() / n);
                if (Boolean.getBoolean("pgss")) {
                    System.out.println(database.dsl().fetch("""
                            select round(total_exec_time::numeric, 0) ms, calls, rows, round(shared_blks_hit / greatest(calls, 1)) hits,
                                   left(regexp_replace(query, '\\s+', ' ', 'g'), 160) q
                            from pg_stat_statements order by total_exec_time desc limit 16""").format(200));
                    System.out.println(database.dsl().fetch("""
                            select relname, n_tup_upd, n_tup_hot_upd, pg_relation_size(relid) / 8192 pages
                            from pg_stat_user_tables where relname in ('message', 'invitation')"""));
                }
                // the bare loop again, now that the JIT has compiled what both share: the ratio uses the faster
                double bareAfter = bareLoop(sink.port(), n, sample);
                double bare = Math.max(bareBefore, bareAfter);
                System.out.printf("bare Jakarta Mail loop: %.0f/s before, %.0f/s after; ratio dispatcher/bare %.2f%n",
                        bareBefore, bareAfter, rate / bare);
                System.out.printf("heap while dispatching: %s; used after: %d MiB (max %d MiB)%n", heap, usedHeapMiB(),
                        Runtime.getRuntime().maxMemory() >> 20);
            }
        }
    }

    /**
     * The dispatcher's own cost: claim, check, render and record N emails whose channel accepts
     * them at once (no MIME, no SMTP), CPU per email in this JVM and in PostgreSQL.
     */
    static void overhead(int n, boolean smtp) throws Exception {
        String url = TestDatabase.freshUrl();
        Cpu.postgresOf(url);
        try (Database database = TestDatabase.open(url); ScriptedSmtpServer sink = new ScriptedSmtpServer("250 2.1.5 ok")) {
            plan(database, n, "email");
            var settings = TestDatabase.settings(url, Map.of("SURVEYCAST_EMAIL_RATE", "0",
                    "SURVEYCAST_EMAIL_CONCURRENCY", Integer.toString(CONNECTIONS), "SURVEYCAST_SMTP_HOST", "127.0.0.1",
                    "SURVEYCAST_SMTP_PORT", Integer.toString(sink.port()), "SURVEYCAST_SMTP_TLS", "none"));
            var channel = new io.surveycast.channel.email.SmtpEmailChannel(
                    io.surveycast.channel.email.SmtpSettings.fromSettings(settings));
            ChannelGateway accepting = smtp ? channel::send
                    : m -> new io.surveycast.channel.SendResult.Sent(m.messageIdHeader(), null);
            try (Dispatcher dispatcher = new Dispatcher(database.dsl(), CLOCK, FatiguePolicy.DEFAULT,
                    new TemplateStore(java.util.Optional.empty()), accepting, DispatchOptions.fromSettings(settings),
                    "http://localhost:8080", "Acme", "surveys@localhost")) {
                long t0 = System.nanoTime();
                Cpu cpu0 = Cpu.now();
                VmUse vm0 = VmUse.now();
                DispatchCounts counts = dispatcher.drain(T);
                Cpu cpu = Cpu.now().minus(cpu0);
                System.out.println("dispatcher JVM: " + VmUse.now().perEmail(vm0, n));
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("dispatcher " + (smtp ? "with SMTP, no Camel" : "without SMTP") + ": %d emails in %.1f s = %.0f/s; CPU per email: JVM %.0f us (system %.0f), PostgreSQL %.0f us%n",
                        counts.total(), seconds, counts.total() / seconds, cpu.jvmMicros() / n, cpu.jvmSystemMicros() / n,
                        cpu.postgresMicros() / n);
            }
        }
    }

    /**
     * Compose and send N emails on reused connections with Jakarta Mail alone, no database: the
     * same emails the dispatcher sends (its rendered text and HTML, subject, headers and
     * Message-ID, one rendering reused since only the survey token differs), so the loop does the
     * same MIME and SMTP work per message.
     */
    static double bareLoop(int port, int n, OutboundMessage sample) throws Exception {
        Cpu cpu0 = Cpu.now();
        Map<String, Long> threads0 = threadCpu();
        try {
            return bareLoopRun(port, n, sample);
        } finally {
            Cpu cpu = Cpu.now().minus(cpu0);
            System.out.println("bare loop threads, CPU per email: " + threadCpuReport(threads0, threadCpu(), cpu, n));
            System.out.printf("bare loop: CPU per email: JVM %.0f us (system %.0f)%n", cpu.jvmMicros() / n,
                    cpu.jvmSystemMicros() / n);
        }
    }

    private static double bareLoopRun(int port, int n, OutboundMessage sample) throws Exception {
        // the same Jakarta Mail setting the channel makes (EmailComposer): no class path scan per MIME part
        System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        Session session = Session.getInstance(props);
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
                        String messageId = "<m" + i + ".i" + i + "@localhost>";
                        MimeMessage m = new MimeMessage(session) {
                            @Override
                            protected void updateMessageID() throws jakarta.mail.MessagingException {
                                setHeader("Message-ID", messageId);
                            }
                        };
                        m.setFrom(new InternetAddress("surveys@localhost"));
                        m.setRecipient(Message.RecipientType.TO, new InternetAddress("user" + i + "@example.com"));
                        m.setSubject(sample.subject(), "UTF-8");
                        m.setSentDate(new java.util.Date());
                        for (Map.Entry<String, String> header : sample.headers().entrySet()) {
                            m.setHeader(header.getKey(), header.getValue());
                        }
                        MimeBodyPart text = new MimeBodyPart();
                        text.setText(sample.text(), "UTF-8", "plain");
                        MimeBodyPart html = new MimeBodyPart();
                        html.setText(sample.html(), "UTF-8", "html");
                        m.setContent(new MimeMultipart("alternative", text, html));
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

    /** What the dispatcher renders for one of the benchmark's contacts (same settings as its node). */
    static OutboundMessage sampleEmail(org.jooq.DSLContext dsl) {
        var renderer = new MessageRenderer(new TemplateStore(java.util.Optional.empty()), "http://localhost:8080",
                "Acme", "surveys@localhost");
        var m = new ClaimedMessage(1, 1, 1, 1, "invite", 0, "email", T, 1, "planned", T.plusSeconds(86400 * 14),
                "AAAAAAAAAAAAAAAAAAAAAA", "c1", "user1@example.com", null, null, null, "Europe/London", "{}",
                false, false, List.of(), null, null);
        var campaign = new Planner(FatiguePolicy.DEFAULT).campaigns(dsl).stream()
                .filter(c -> c.key().equals("bench")).findFirst().orElseThrow();
        return renderer.render(m, campaign, T);
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

    /** CPU time of this JVM's threads by name (digits dropped: send-email-1 counts as send-email-). */
    static Map<String, Long> threadCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new java.util.TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                byName.merge(info.getThreadName().replaceAll("\\d+", ""), cpu, Long::sum);
            }
        }
        return byName;
    }

    /** Per email, the CPU each group of threads used between two snapshots; the rest is the VM's (GC, JIT). */
    static String threadCpuReport(Map<String, Long> before, Map<String, Long> after, Cpu cpu, int n) {
        StringBuilder out = new StringBuilder();
        long threadsTotal = 0;
        for (var e : after.entrySet()) {
            long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            threadsTotal += used;
            if (used / 1000 / n >= 2) {
                out.append(String.format("%s %d us, ", e.getKey(), used / 1000 / n));
            }
        }
        return out.append(String.format("VM threads (GC, JIT) and ended threads %d us", (cpu.jvmNanos() - threadsTotal) / 1000 / n))
                .toString();
    }

    /** CPU time used so far by this JVM and by every PostgreSQL process (with its reaped children). */
    record Cpu(long jvmNanos, long postgresTicks, long jvmSystemTicks) {
        static volatile String postgresPort = "";

        /** The embedded PostgreSQL to count: the one {@code jdbcUrl} points at. */
        static void postgresOf(String jdbcUrl) {
            postgresPort = jdbcUrl.replaceFirst("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1");
        }

        static Cpu now() {
            long jvmSystem = 0;
            try {
                String self = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
                jvmSystem = Long.parseLong(self.substring(self.lastIndexOf(')') + 2).split(" ")[12]);
            } catch (java.io.IOException e) {
                // not Linux: no split
            }
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long ticks = 0;
            // only this run's embedded PostgreSQL (pg_ctl detaches it, so it is found by its port)
            // and its backends: other PostgreSQL servers on a shared machine are not ours to count
            String ours = "\0-p\0" + postgresPort + "\0";
            Map<Long, long[]> stats = new HashMap<>(); // pid -> {ppid, ticks}
            long postmaster = -1;
            java.io.File[] procs = new java.io.File("/proc").listFiles((d, name) -> name.chars().allMatch(Character::isDigit));
            for (java.io.File proc : procs == null ? new java.io.File[0] : procs) {
                try {
                    String stat = java.nio.file.Files.readString(proc.toPath().resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" "); // from field 3 (state) on
                    long pid = Long.parseLong(proc.getName());
                    stats.put(pid, new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])
                            + Long.parseLong(f[13]) + Long.parseLong(f[14])});
                    if (java.nio.file.Files.readString(proc.toPath().resolve("cmdline")).contains(ours)) {
                        postmaster = pid;
                    }
                } catch (java.io.IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
            for (var e : stats.entrySet()) {
                if (e.getKey() == postmaster || e.getValue()[0] == postmaster) {
                    ticks += e.getValue()[1];
                }
            }
            return new Cpu(jvm, ticks, jvmSystem);
        }

        Cpu minus(Cpu before) {
            return new Cpu(jvmNanos - before.jvmNanos, postgresTicks - before.postgresTicks,
                    jvmSystemTicks - before.jvmSystemTicks);
        }

        double jvmSystemMicros() {
            return jvmSystemTicks * 1e6 / 100;
        }

        double jvmMicros() {
            return jvmNanos / 1e3;
        }

        double postgresMicros() {
            return postgresTicks * 1e6 / 100; // USER_HZ is 100 on Linux
        }
    }

    static long usedHeapMiB() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

}

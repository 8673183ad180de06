package io.surveycast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: java -jar target/surveycast.jar COMMAND, on the embedded database. */
class JarIT {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String JAR = System.getProperty("surveycast.jar", "target/surveycast.jar");

    @TempDir
    Path dir;

    @Test
    void theJarRunsCommandsAndServeStopsCleanlyOnSigterm() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("SURVEYCAST_DATA_DIR", data.toString());

        Result help = run(env, "--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("Usage: surveycast", "contacts", "campaigns");

        Result apply = run(env, "campaigns", "apply", "campaigns");
        assertThat(apply.code).as(apply.err).isZero();
        assertThat(apply.out.lines()).containsExactly("created onboarding-nps", "created quarterly-nps", "created renewal-nps");

        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "external_id,email\nc1,a@example.com\nc2,nope\n");
        Result imported = run(env, "contacts", "import", csv.toString());
        assertThat(imported.code).isEqualTo(2);
        assertThat(imported.out.strip()).isEqualTo("imported 1, updated 0, unchanged 0, rejected 1");
        assertThat(imported.err).contains(csv + ":3: email: not a valid email address: nope");

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(JAVA, "-jar", JAR, "serve")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.log").toFile());
        builder.environment().putAll(env);
        builder.environment().put("SURVEYCAST_HTTP_PORT", String.valueOf(port));
        Process serve = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(10)).build();
            HttpResponse<String> health = null;
            // listening but still starting its routes: 503, like not listening yet. On a loaded
            // machine (CI: two cores shared with another build) starting takes well over 30 s
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline && (health == null || health.statusCode() == 503)) {
                try {
                    health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYet) {
                    health = null;
                }
                if (health == null || health.statusCode() == 503) {
                    Thread.sleep(250);
                }
            }
            assertThat(health).as(Files.readString(dir.resolve("serve.log"))).isNotNull();
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");

            // a CLI command beside the running server uses the server's embedded database
            Result list = run(env, "campaigns", "list");
            assertThat(list.code).isZero();
            assertThat(list.out).contains("quarterly-nps");
            assertThat(Files.readString(dir.resolve("serve.log")))
                    .contains("email captured (development mode, see /dev/mail)")
                    .contains("SMS captured (development mode, see /dev/sms)")
                    .as("the address printed follows the port, and how to get a token when nobody can sign in")
                    .contains("open http://localhost:" + port + "/")
                    .contains("users add NAME --role admin");
            String printed = Files.readString(dir.resolve("serve.log")).replaceAll("(?s).*open (http://\\S+/) .*", "$1");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(printed + "login")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("the printed address " + printed).isEqualTo(200);

            // the newcomer's path: sample contacts, run-due beside the server, then /dev/mail and /dev/sms
            assertThat(run(env, "contacts", "import", Path.of("docs/examples/contacts.csv").toAbsolutePath().toString()).code)
                    .isZero();
            Result due = run(env, "run-due", "--at", "2027-04-06T14:00:00Z", "--until", "2027-04-09T00:00:00Z",
                    "--step", "PT6H");
            assertThat(due.code).as(due.err).isZero();
            assertThat(due.out).containsPattern("sent +email [1-9]\\d*, sms [1-9]\\d*");
            HttpResponse<String> mail = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/dev/mail")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(mail.statusCode()).isEqualTo(200);
            assertThat(mail.body()).contains("href=\"/dev/mail/");
            HttpResponse<String> sms = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/dev/sms")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sms.body()).containsAnyOf("Reply STOP", "STOP pour"); // English or French contacts

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("stops within 30 s of SIGTERM").isTrue();
            assertThat(serve.exitValue()).isIn(0, 143);
            assertThat(Files.exists(data.resolve("postgres/postmaster.pid"))).as("embedded PostgreSQL stopped").isFalse();
            String log = Files.readString(dir.resolve("serve.log"));
            assertThat(log).doesNotContain("Exception")
                    .as("the database outlives what uses it").doesNotContain("terminating connection")
                    .contains("stopping: no new work taken");
            assertThat(log.indexOf("stopping: no new work taken"))
                    .as("work stops before the database does").isLessThan(log.indexOf("database system is shut down") < 0
                            ? Integer.MAX_VALUE : log.indexOf("database system is shut down"));
        } finally {
            serve.destroyForcibly();
        }
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    private record Result(int code, String out, String err) {
    }
}

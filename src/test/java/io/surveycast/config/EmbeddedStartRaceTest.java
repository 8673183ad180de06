package io.surveycast.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes started at once on one data directory (the README's {@code serve &} and the next
 * command): one starts the embedded PostgreSQL, the other waits and attaches to it. Both used to
 * start one, and the loser failed with "could not lock .../epg-lock".
 */
class EmbeddedStartRaceTest {

    @Test
    void twoProcessesStartedTogetherShareOneServer(@TempDir Path dataDir) throws Exception {
        Path postgres = dataDir.resolve("postgres");
        List<Process> processes = new ArrayList<>();
        List<CompletableFuture<String>> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), Child.class.getName(), postgres.toString())
                        .redirectErrorStream(true).start();
                processes.add(p);
                ports.add(CompletableFuture.supplyAsync(() -> portLine(p)));
            }
            String first = ports.get(0).get(3, TimeUnit.MINUTES);
            String second = ports.get(1).get(3, TimeUnit.MINUTES);
            assertThat(first).as("the first process's output").startsWith("port ");
            assertThat(second).as("the second process's output").isEqualTo(first);
        } finally {
            for (Process p : processes) {
                p.getOutputStream().close(); // the children stop once their standard input ends
            }
            for (Process p : processes) {
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
            }
        }
        assertThat(processes).allSatisfy(p -> assertThat(p.exitValue()).isZero());
    }

    /** The child's "port N" line, or its whole output when it never prints one. */
    private static String portLine(Process p) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String port = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("port ") && port == null) {
                    port = line;
                    CompletableFuture.runAsync(() -> drain(out));
                    return port;
                }
                all.append(line).append('\n');
            }
        } catch (java.io.IOException e) {
            all.append(e);
        }
        return all.toString();
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the child's pipe from filling
            }
        } catch (java.io.IOException e) {
            // the child ended
        }
    }

    /** Starts or attaches, prints the port, holds the server until standard input ends. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrAttach(Path.of(args[0]))) {
                System.out.println("port " + server.port());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the test to let go
                }
            }
        }
    }
}

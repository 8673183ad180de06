package io.surveycast.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that answers RCPT TO with a chosen reply (say {@code 550 5.1.1 User unknown} or
 * {@code 451 4.3.0 try later}): the answers a real server gives that GreenMail cannot be told to.
 * With {@link #requiringStartTls} it insists on STARTTLS (GreenMail has no STARTTLS), using
 * GreenMail's self-signed test certificate.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final String rcptReply;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger acceptedOverTls = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.ConcurrentMap<String, AtomicInteger> commands = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private final javax.net.ssl.SSLContext tls;

    public ScriptedSmtpServer(String rcptReply) throws IOException {
        this(rcptReply, null);
    }

    private ScriptedSmtpServer(String rcptReply, javax.net.ssl.SSLContext tls) throws IOException {
        this.rcptReply = rcptReply;
        this.tls = tls;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofPlatform().daemon().start(this::serve);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** A server that accepts every message, but only after STARTTLS. */
    public static ScriptedSmtpServer requiringStartTls() throws Exception {
        var keys = new com.icegreen.greenmail.util.DummySSLServerSocketFactory().getKeyStore();
        var factory = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        var context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return new ScriptedSmtpServer("250 2.1.5 ok", context);
    }

    /** Messages accepted after DATA on a connection secured by STARTTLS. */
    public int acceptedOverTls() {
        return acceptedOverTls.get();
    }

    /** Connections clients opened. */
    public int connections() {
        return connections.get();
    }

    /** How many times clients sent the command {@code verb} (NOOP, RSET, ...). */
    public int commands(String verb) {
        AtomicInteger n = commands.get(verb);
        return n == null ? 0 : n.get();
    }

    /** Messages accepted after DATA. */
    public int accepted() {
        return accepted.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> {
                    try (client) {
                        converse(client);
                    } catch (IOException e) {
                        // the client hung up
                    }
                });
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream();
        reply(out, "220 scripted ESMTP");
        boolean recipientOk = false;
        boolean secured = false;
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            commands.computeIfAbsent(verb, v -> new AtomicInteger()).incrementAndGet();
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, tls != null && !secured
                        ? "250-scripted\r\n250-STARTTLS\r\n250 8BITMIME" : "250-scripted\r\n250 8BITMIME");
                case "STAR" -> {
                    if (tls == null || secured) {
                        reply(out, "502 5.5.1 not here");
                        continue;
                    }
                    reply(out, "220 2.0.0 ready to start TLS");
                    var secure = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                            .createSocket(client, client.getInetAddress().getHostAddress(), client.getPort(), true);
                    secure.setUseClientMode(false);
                    secure.startHandshake();
                    in = new BufferedReader(new InputStreamReader(secure.getInputStream(), StandardCharsets.US_ASCII));
                    out = secure.getOutputStream();
                    secured = true;
                }
                case "MAIL" -> reply(out, tls != null && !secured ? "530 5.7.0 Must issue a STARTTLS command first"
                        : "250 2.1.0 ok");
                case "RCPT" -> {
                    reply(out, rcptReply);
                    recipientOk = rcptReply.startsWith("2");
                }
                case "DATA" -> {
                    if (!recipientOk) {
                        reply(out, "554 5.5.1 no valid recipients");
                        continue;
                    }
                    reply(out, "354 go ahead");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message
                    }
                    accepted.incrementAndGet();
                    if (secured) {
                        acceptedOverTls.incrementAndGet();
                    }
                    reply(out, "250 2.0.0 queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "250 ok");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

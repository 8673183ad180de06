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
 */
public final class ScriptedSmtpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final String rcptReply;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread thread;

    public ScriptedSmtpServer(String rcptReply) throws IOException {
        this.rcptReply = rcptReply;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofPlatform().daemon().start(this::serve);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Messages accepted after DATA. */
    public int accepted() {
        return accepted.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
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
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, "250-scripted\r\n250 8BITMIME");
                case "MAIL" -> reply(out, "250 2.1.0 ok");
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

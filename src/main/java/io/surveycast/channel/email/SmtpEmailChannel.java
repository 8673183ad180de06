package io.surveycast.channel.email;

import io.surveycast.channel.Channel;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email over SMTP with a small pool of connections kept open and reused across messages (one
 * connection per concurrent sender); a connection that failed is closed and opened again on its
 * next use. Failures are classified by {@link SmtpFailures}.
 */
public final class SmtpEmailChannel implements Channel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpEmailChannel.class);
    private final SmtpSettings settings;
    private final EmailComposer composer;
    private final Session session;
    private final BlockingQueue<Connection> pool;
    /** A connection idle for longer is checked (NOOP) before use: servers drop idle clients. */
    private static final long IDLE_CHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /**
     * A pooled SMTP connection and when it last sent. Angus's {@code isConnected()} is no flag: it
     * sends NOOP and waits for the answer, a round trip that cost as much as the message itself when
     * asked before every message, so it is only asked after an idle spell.
     */
    private static final class Connection {
        final Transport transport;
        long lastUsed; // System.nanoTime() of its last message; 0 while not open

        Connection(Transport transport) {
            this.transport = transport;
        }

        boolean usedRecently() {
            return lastUsed != 0 && System.nanoTime() - lastUsed < IDLE_CHECK_NANOS;
        }
    }

    public SmtpEmailChannel(SmtpSettings settings) {
        this.settings = settings;
        this.composer = new EmailComposer(settings.from());
        this.session = Session.getInstance(settings.sessionProperties());
        this.pool = new ArrayBlockingQueue<>(settings.connections());
        try {
            for (int i = 0; i < settings.connections(); i++) {
                pool.add(new Connection(session.getTransport(settings.protocol())));
            }
        } catch (MessagingException e) {
            throw new IllegalStateException("no SMTP transport available", e);
        }
    }

    /** The domain of the sender address, for Message-IDs. */
    public String domain() {
        return composer.domain();
    }

    @Override
    public SendResult send(OutboundMessage message) {
        MimeMessage mime;
        try {
            mime = composer.compose(session, message);
            if (settings.dkim() != null) {
                mime = settings.dkim().sign(mime);
            }
        } catch (MessagingException e) {
            return new SendResult.Failed("cannot build the email: " + e.getMessage());
        }
        Connection connection = borrow();
        Transport transport = connection.transport;
        try {
            if (!connection.usedRecently() && !transport.isConnected()) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            }
            transport.sendMessage(mime, mime.getAllRecipients());
            connection.lastUsed = System.nanoTime();
            return new SendResult.Sent(message.messageIdHeader(), null);
        } catch (MessagingException e) {
            SendResult result = SmtpFailures.classify(e);
            if (SmtpFailures.connectionLost(e)) {
                close(transport);
                connection.lastUsed = 0;
            }
            LOG.debug("message {}: {}", message.id(), result);
            return result;
        } finally {
            pool.add(connection);
        }
    }

    private Connection borrow() {
        try {
            return pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an SMTP connection", e);
        }
    }

    private static void close(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // already broken: it is reopened on its next use
        }
    }

    @Override
    public void close() {
        for (Connection connection : pool) {
            close(connection.transport);
        }
    }
}

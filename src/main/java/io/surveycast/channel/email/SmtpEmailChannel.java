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
    private final BlockingQueue<Transport> pool;

    public SmtpEmailChannel(SmtpSettings settings) {
        this.settings = settings;
        this.composer = new EmailComposer(settings.from());
        this.session = Session.getInstance(settings.sessionProperties());
        this.pool = new ArrayBlockingQueue<>(settings.connections());
        try {
            for (int i = 0; i < settings.connections(); i++) {
                pool.add(session.getTransport(settings.protocol()));
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
        Transport transport = borrow();
        try {
            if (!transport.isConnected()) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            }
            transport.sendMessage(mime, mime.getAllRecipients());
            return new SendResult.Sent(message.messageIdHeader(), null);
        } catch (MessagingException e) {
            SendResult result = SmtpFailures.classify(e);
            if (SmtpFailures.connectionLost(e)) {
                close(transport);
            }
            LOG.debug("message {}: {}", message.id(), result);
            return result;
        } finally {
            pool.add(transport);
        }
    }

    private Transport borrow() {
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
    public String describe() {
        return settings.describe();
    }

    @Override
    public void close() {
        for (Transport transport : pool) {
            close(transport);
        }
    }
}

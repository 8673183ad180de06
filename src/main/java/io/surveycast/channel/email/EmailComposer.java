package io.surveycast.channel.email;

import io.surveycast.channel.OutboundMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;

/** Builds the MIME message of an email: multipart/alternative (text, then HTML), our Message-ID and Date. */
final class EmailComposer {
    static {
        useAngusStreamProvider();
    }

    private final InternetAddress from;

    /**
     * Jakarta Mail looks its StreamProvider up with a ServiceLoader scan of the whole class path in
     * every MimeMessage and BodyPart constructor (no caching up to 2.1.5); named by this system
     * property it is instantiated directly instead. That scan was a third of the sending threads' time.
     */
    static void useAngusStreamProvider() {
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    EmailComposer(String from) {
        try {
            this.from = new InternetAddress(from, true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("SURVEYCAST_MAIL_FROM: " + from + " is not an email address", e);
        }
    }

    MimeMessage compose(Session session, OutboundMessage message) throws MessagingException {
        String messageId = message.messageIdHeader();
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId); // stable: a retried message keeps its id
            }
        };
        mime.setFrom(from);
        mime.setRecipient(Message.RecipientType.TO, recipient(message));
        mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(Date.from(message.date()));
        for (Map.Entry<String, String> header : message.headers().entrySet()) {
            mime.setHeader(header.getKey(), header.getValue());
        }
        MimeBodyPart text = new MimeBodyPart();
        text.setText(message.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(message.html(), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges();
        return mime;
    }

    private static InternetAddress recipient(OutboundMessage message) throws MessagingException {
        try {
            return message.toName() == null || message.toName().isBlank()
                    ? new InternetAddress(message.to(), true)
                    : new InternetAddress(message.to(), message.toName(), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    String domain() {
        String address = from.getAddress();
        return address.substring(address.indexOf('@') + 1);
    }
}

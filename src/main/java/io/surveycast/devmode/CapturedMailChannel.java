package io.surveycast.devmode;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.channel.Channel;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import io.surveycast.channel.email.SmtpEmailChannel;
import io.surveycast.channel.email.SmtpSettings;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * Development mode's email: the real SMTP channel, talking to an embedded GreenMail server on a
 * loopback port; what GreenMail receives is stored for {@code /dev/mail}, so mail sent by any
 * process ({@code serve}, {@code run-due}) shows up there.
 */
final class CapturedMailChannel implements Channel, AutoCloseable {
    private static final Pattern OUR_MESSAGE_ID = Pattern.compile("<m(\\d+)\\.i\\d+@");
    private final GreenMail greenMail;
    private final SmtpEmailChannel smtp;
    private final DSLContext dsl;
    private final Clock clock;
    private final DevCaptureQueries queries = new DevCaptureQueries();

    public CapturedMailChannel(DSLContext dsl, Clock clock, String from, int connections) {
        this.dsl = dsl;
        this.clock = clock;
        this.greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        this.smtp = new SmtpEmailChannel(SmtpSettings.local(greenMail.getSmtp().getPort(), from, connections));
    }

    /** One at a time: what GreenMail received is collected and purged together with each send. */
    @Override
    public synchronized SendResult send(OutboundMessage message) {
        SendResult result = smtp.send(message);
        if (result instanceof SendResult.Sent) {
            collect();
        }
        return result;
    }

    /** Moves what GreenMail received into the capture table. */
    private void collect() {
        try {
            for (MimeMessage mime : greenMail.getReceivedMessages()) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                mime.writeTo(raw);
                String id = mime.getMessageID();
                Matcher m = id == null ? null : OUR_MESSAGE_ID.matcher(id);
                var recipients = mime.getAllRecipients();
                // as a mail client shows it (Sam Müller), not as the header carries it (=?UTF-8?Q?...)
                String to = recipients == null ? "" : recipients[0] instanceof jakarta.mail.internet.InternetAddress address
                        ? address.toUnicodeString() : recipients[0].toString();
                queries.insert(dsl, "email", m != null && m.find() ? Long.valueOf(m.group(1)) : null, to,
                        mime.getSubject(), raw.toString(StandardCharsets.UTF_8), clock.instant());
            }
            greenMail.purgeEmailFromAllMailboxes();
        } catch (MessagingException | IOException | com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException("cannot store a captured email: " + e.getMessage(), e);
        }
    }


    @Override
    public void close() {
        smtp.close();
        greenMail.stop();
    }
}

package io.surveycast.channel.email;

import io.surveycast.channel.SendResult;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * What an SMTP failure means for the message: 4xx and connection failures are temporary, a 5xx
 * answer is permanent, and a 5xx that says the mailbox does not exist (5.1.1 and friends) also
 * suppresses the email channel for the contact.
 */
final class SmtpFailures {
    private static final Pattern UNKNOWN_USER = Pattern.compile(
            "\\b5\\.1\\.(1|10)\\b|user unknown|unknown user|no such user|mailbox (does not exist|not found|unavailable)"
                    + "|recipient address rejected|does not exist", Pattern.CASE_INSENSITIVE);

    private SmtpFailures() {
    }

    static SendResult classify(MessagingException e) {
        int code = replyCode(e);
        String text = describe(e);
        if (code >= 500) {
            boolean unknownUser = (code == 550 || code == 551 || code == 553) && UNKNOWN_USER.matcher(text).find();
            return new SendResult.Failed(text, unknownUser ? "hard_bounce" : null);
        }
        // 421 (the server closes the connection, often "too many connections/messages") and the
        // enhanced codes 4.7.x (policy: rate limited, try later) ask the whole channel to slow down
        return new SendResult.Retry(text, null, code == 421 || THROTTLING.matcher(text).find());
    }

    private static final Pattern THROTTLING = Pattern.compile("\\b4\\.7\\.\\d{1,3}\\b");

    /**
     * Whether the connection is unusable afterwards: anything but a server's answer about this
     * message, or 421, with which the server closes the connection (RFC 5321 3.8).
     */
    static boolean connectionLost(MessagingException e) {
        int code = replyCode(e);
        return code == 0 || code == 421 || e instanceof AuthenticationFailedException;
    }

    /** The SMTP reply code of the failure, or 0 when the server gave none (connection, TLS, I/O). */
    static int replyCode(MessagingException e) {
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (x instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
        }
        if (e instanceof SendFailedException s && s.getInvalidAddresses() != null && s.getInvalidAddresses().length > 0) {
            return 550;
        }
        return 0;
    }

    private static String describe(MessagingException e) {
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException || x instanceof SMTPSendFailedException) {
                return "SMTP " + x.getMessage().strip();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return root == e ? text : text + " (" + root + ")";
    }
}

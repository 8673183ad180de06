package io.surveycast.channel.email;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Mails as they arrive in a bounce mailbox: RFC 3464 delivery reports, ARF complaints, replies. */
final class Reports {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Reports() {
    }

    /**
     * A delivery status notification about the message whose Message-ID is {@code original};
     * {@code headersOnly}: the original as text/rfc822-headers, else as a whole message/rfc822.
     */
    static byte[] dsn(String original, String recipient, String action, String status, String diagnostic,
                      boolean headersOnly) {
        String originalHeaders = "Return-Path: <surveys@acme.example>\r\n"
                + "From: Acme Surveys <surveys@acme.example>\r\n"
                + "To: " + recipient + "\r\n"
                + "Subject: How likely are you to recommend Acme?\r\n"
                + "Message-ID: " + original + "\r\n"
                + "MIME-Version: 1.0\r\n";
        return ("From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\n"
                + "To: surveys@acme.example\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\n"
                + "Message-ID: <dsn-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() + "@mx.example.net>\r\n"
                + "Auto-Submitted: auto-replied\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"B0UND\"\r\n"
                + "\r\n"
                + "This is a MIME-encapsulated message.\r\n"
                + "\r\n--B0UND\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "I'm sorry to have to inform you that your message could not be delivered.\r\n"
                + "\r\n--B0UND\r\n"
                + "Content-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx.example.net\r\n"
                + "Arrival-Date: Mon, 1 Jun 2026 12:00:05 +0000 (UTC)\r\n"
                + "\r\n"
                + "Final-Recipient: rfc822; " + recipient + "\r\n"
                + "Original-Recipient: rfc822;" + recipient + "\r\n"
                + "Action: " + action + "\r\n"
                + "Status: " + status + "\r\n"
                + "Remote-MTA: dns; mail.example.com\r\n"
                + "Diagnostic-Code: smtp; " + diagnostic + "\r\n"
                + "\r\n--B0UND\r\n"
                + (headersOnly ? "Content-Type: text/rfc822-headers\r\n\r\n" + originalHeaders
                        : "Content-Type: message/rfc822\r\n\r\n" + originalHeaders
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nHi, how likely...\r\n")
                + "\r\n--B0UND--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hardBounce(String original, String recipient) {
        return dsn(original, recipient, "failed", "5.1.1",
                "550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown", false);
    }

    static byte[] softBounce(String original, String recipient) {
        return dsn(original, recipient, "failed", "4.4.7", "421 4.4.7 Delivery time expired, mailbox over quota", true);
    }

    /** An ARF complaint (RFC 5965) about {@code original}. */
    static byte[] complaint(String original, String recipient) {
        return ("From: Feedback Loop <fbl@isp.example>\r\n"
                + "To: abuse@acme.example\r\n"
                + "Subject: FW: complaint\r\n"
                + "Message-ID: <arf-" + SEQUENCE.incrementAndGet() + "@isp.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"ARF\"\r\n\r\n"
                + "--ARF\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n"
                + "--ARF\r\nContent-Type: message/feedback-report\r\n\r\n"
                + "Feedback-Type: abuse\r\nUser-Agent: isp-fbl/1.0\r\nVersion: 1\r\n"
                + "Original-Rcpt-To: <" + recipient + ">\r\n"
                + "--ARF\r\nContent-Type: message/rfc822\r\n\r\n"
                + "From: surveys@acme.example\r\nTo: " + recipient + "\r\nMessage-ID: " + original + "\r\n"
                + "Subject: How likely?\r\n\r\nbody\r\n"
                + "--ARF--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] plain(String subject, String body) {
        return ("From: Someone <someone@example.org>\r\nTo: surveys@acme.example\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <plain-" + SEQUENCE.incrementAndGet() + "@example.org>\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Not a well-formed report: a multipart whose boundary never appears, and binary noise. */
    static byte[] garbage() {
        return ("Subject: =?x-unknown?Q?=ZZ?=\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"nope\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n%%%%not base64 \u0000\u0001\r\n--other\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}

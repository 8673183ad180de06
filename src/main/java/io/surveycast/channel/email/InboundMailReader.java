package io.surveycast.channel.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a mail in the bounce mailbox says: an RFC 3464 delivery status notification
 * (multipart/report; report-type=delivery-status), an ARF complaint (report-type=feedback-report,
 * RFC 5965), a mailto unsubscribe (subject {@code unsubscribe <token>}), or nothing we act on.
 * The message it is about is named by the Message-ID in the report's copy of the original
 * (message/rfc822 or text/rfc822-headers), else by the first of our Message-IDs found anywhere in it.
 */
final class InboundMailReader {
    /** Our Message-IDs: {@code <m123.i45@domain>} (dispatch/MessageRenderer). */
    static final Pattern OUR_MESSAGE_ID = Pattern.compile("<m\\d+\\.i\\d+@[^<>\\s]+>");
    private static final Pattern UNSUBSCRIBE = Pattern.compile("\\s*unsubscribe\\s+([A-Za-z0-9_-]{8,})\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    enum Kind { HARD_BOUNCE, SOFT_BOUNCE, COMPLAINT, UNSUBSCRIBE, IGNORED }

    /** {@code originalId}: the Message-ID of the mail reported on; {@code token}: of a mailto unsubscribe. */
    record Reading(Kind kind, String originalId, String status, String detail, String token) {
        static Reading ignored(String why) {
            return new Reading(Kind.IGNORED, null, null, why, null);
        }
    }

    Reading read(MimeMessage mail, byte[] raw) throws MessagingException, IOException {
        if (mail.isMimeType("multipart/report") && mail.getContent() instanceof Multipart report) {
            String type = new ContentType(mail.getContentType()).getParameter("report-type");
            type = type == null ? "" : type.toLowerCase(Locale.ROOT);
            String original = originalMessageId(report);
            if (original == null) {
                original = firstOurMessageId(raw);
            }
            if (type.equals("delivery-status")) {
                return deliveryStatus(report, original);
            }
            if (type.equals("feedback-report")) {
                return feedback(report, original);
            }
            return Reading.ignored("a report of type " + type);
        }
        String subject = mail.getSubject();
        Matcher unsubscribe = subject == null ? null : UNSUBSCRIBE.matcher(subject);
        if (unsubscribe != null && unsubscribe.matches()) {
            return new Reading(Kind.UNSUBSCRIBE, null, null, "mailto unsubscribe", unsubscribe.group(1));
        }
        return Reading.ignored("neither a delivery report, a complaint nor an unsubscribe: "
                + mail.getContentType() + ", subject " + subject);
    }

    /**
     * The recipient field group that matters (we send to one recipient, but a report may list more):
     * a failure before a delay before anything else. Action failed: 5.x.x is a hard bounce, 4.x.x a
     * soft one (the reporting server gave up on a temporary condition); a delay or a success is no bounce.
     */
    private static Reading deliveryStatus(Multipart report, String original) throws MessagingException, IOException {
        InternetHeaders worst = null;
        for (InternetHeaders recipient : recipientFields(report)) {
            if (worst == null || rank(action(recipient)) > rank(action(worst))) {
                worst = recipient;
            }
        }
        if (worst == null) {
            return Reading.ignored("a delivery report without recipient fields");
        }
        String action = action(worst);
        String diagnostic = worst.getHeader("Diagnostic-Code", " ");
        String status = status(worst.getHeader("Status", " "), diagnostic);
        String detail = (status == null ? "" : status + " ") + (diagnostic == null ? "action " + action : diagnostic.strip());
        if (!action.equals("failed")) {
            return new Reading(Kind.IGNORED, original, status, "delivery report, action " + action + ": " + detail, null);
        }
        if (status == null) {
            return Reading.ignored("a failed delivery report without a status code");
        }
        // 5.2.2 (mailbox full) is a lasting state that usually clears, so it counts as soft
        boolean hard = status.startsWith("5.") && !status.equals("5.2.2");
        return new Reading(hard ? Kind.HARD_BOUNCE : Kind.SOFT_BOUNCE, original, status, detail, null);
    }

    private static Reading feedback(Multipart report, String original) throws MessagingException, IOException {
        for (int i = 0; i < report.getCount(); i++) {
            BodyPart part = report.getBodyPart(i);
            if (part.isMimeType("message/feedback-report")) {
                InternetHeaders fields = new InternetHeaders(new ByteArrayInputStream(bytes(part)));
                String type = String.valueOf(fields.getHeader("Feedback-Type", " ")).strip().toLowerCase(Locale.ROOT);
                if (type.equals("not-spam") || type.equals("auth-failure")) {
                    return new Reading(Kind.IGNORED, original, null, "feedback report of type " + type, null);
                }
                return new Reading(Kind.COMPLAINT, original, null, "feedback report of type " + type, null);
            }
        }
        return Reading.ignored("a feedback report without its message/feedback-report part");
    }

    /** The per-recipient field groups of the message/delivery-status part (the first group is per message). */
    private static List<InternetHeaders> recipientFields(Multipart report) throws MessagingException, IOException {
        List<InternetHeaders> groups = new ArrayList<>();
        for (int i = 0; i < report.getCount(); i++) {
            BodyPart part = report.getBodyPart(i);
            if (part.isMimeType("message/delivery-status") || part.isMimeType("message/global-delivery-status")) {
                String text = new String(bytes(part), StandardCharsets.UTF_8);
                String[] blocks = text.strip().split("\\r?\\n(?:[ \\t]*\\r?\\n)+");
                for (int b = 1; b < blocks.length; b++) {
                    InternetHeaders fields = new InternetHeaders(
                            new ByteArrayInputStream((blocks[b] + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
                    if (fields.getHeader("Action") != null || fields.getHeader("Status") != null) {
                        groups.add(fields);
                    }
                }
            }
        }
        return groups;
    }

    /** The Message-ID in the report's copy of the original message (whole, or its headers only). */
    private static String originalMessageId(Multipart report) throws MessagingException, IOException {
        for (int i = 0; i < report.getCount(); i++) {
            BodyPart part = report.getBodyPart(i);
            if (part.isMimeType("message/rfc822") || part.isMimeType("message/global")
                    || part.isMimeType("text/rfc822-headers") || part.isMimeType("message/global-headers")) {
                String id = new InternetHeaders(new ByteArrayInputStream(bytes(part))).getHeader("Message-ID", null);
                if (id != null) {
                    Matcher ours = OUR_MESSAGE_ID.matcher(id);
                    return ours.find() ? ours.group() : id.strip();
                }
            }
        }
        return null;
    }

    static String firstOurMessageId(byte[] raw) {
        Matcher m = OUR_MESSAGE_ID.matcher(new String(raw, StandardCharsets.ISO_8859_1));
        return m.find() ? m.group() : null;
    }

    private static String action(InternetHeaders fields) {
        String action = fields.getHeader("Action", " ");
        return action == null ? "failed" : action.strip().toLowerCase(Locale.ROOT);
    }

    private static int rank(String action) {
        return switch (action) {
            case "failed" -> 2;
            case "delayed" -> 1;
            default -> 0;
        };
    }

    /** {@code Status: 5.1.1 (comment)} as {@code 5.1.1}; else the enhanced code in the diagnostic, if any. */
    private static String status(String status, String diagnostic) {
        for (String text : new String[] {status, diagnostic}) {
            Matcher m = text == null ? null : STATUS.matcher(text);
            if (m != null && m.find()) {
                return m.group();
            }
        }
        return null;
    }

    /** A part's content, transfer encoding undone, without asking Jakarta Mail to interpret its type. */
    private static byte[] bytes(BodyPart part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }
}

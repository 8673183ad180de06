package io.surveycast.channel;

import io.surveycast.channel.email.SmtpEmailChannel;
import io.surveycast.channel.email.SmtpSettings;
import io.surveycast.channel.sms.TwilioSettings;
import io.surveycast.channel.sms.TwilioSmsChannel;
import io.surveycast.config.Settings;
import java.time.Clock;
import org.jooq.DSLContext;

/**
 * The two channels as configured: SMTP when {@code SURVEYCAST_SMTP_HOST} is set, else development
 * mode's captured mail; Twilio when {@code TWILIO_ACCOUNT_SID} is set, else the SMS sandbox.
 */
public record Channels(Channel email, Channel sms, boolean emailCaptured, boolean smsCaptured, String mailFrom)
        implements AutoCloseable {

    /** {@code captured}: the channels used for a channel not configured. */
    public static Channels fromSettings(Settings settings, DSLContext dsl, Clock clock, CapturedChannels captured) {
        SmtpSettings smtp = SmtpSettings.fromSettings(settings);
        TwilioSettings twilio = TwilioSettings.fromSettings(settings);
        String from = SmtpSettings.from(settings);
        Channel email = smtp != null ? new SmtpEmailChannel(smtp)
                : captured.mail(dsl, clock, from, SmtpSettings.connections(settings));
        Channel sms = twilio != null ? new TwilioSmsChannel(twilio) : captured.sms(dsl, clock);
        return new Channels(email, sms, smtp == null, twilio == null, from);
    }

    /** Which channels are real and which are captured, from the settings alone. */
    public static String describe(Settings settings) {
        SmtpSettings smtp = SmtpSettings.fromSettings(settings);
        TwilioSettings twilio = TwilioSettings.fromSettings(settings);
        boolean developmentMode = smtp == null && twilio == null;
        String captured = developmentMode ? "captured (development mode, see %s)"
                : "captured, not sent (no %s configured; %s exists only in development mode)";
        return "email " + (smtp == null ? captured.formatted(developmentMode ? "/dev/mail" : "SMTP host", "/dev/mail")
                : "sent through " + smtp.describe())
                + "; SMS " + (twilio == null ? captured.formatted(developmentMode ? "/dev/sms" : "Twilio account", "/dev/sms")
                : "sent through Twilio at " + twilio.apiUrl());
    }

    @Override
    public void close() {
        for (Channel channel : new Channel[] {email, sms}) {
            if (channel instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // shutting down
                }
            }
        }
    }
}

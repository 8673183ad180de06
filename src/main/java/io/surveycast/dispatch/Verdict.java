package io.surveycast.dispatch;

import java.time.Instant;

/** What the checks just before sending decided for a claimed message. */
sealed interface Verdict {
    record Send() implements Verdict {
    }

    /** Not to be sent at all; {@code reason} is recorded on the message. */
    record Cancel(String reason) implements Verdict {
    }

    /** Not yet: back in the queue until {@code until}. */
    record Defer(Instant until, String reason) implements Verdict {
    }
}

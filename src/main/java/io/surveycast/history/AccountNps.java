package io.surveycast.history;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's NPS counts each of its contacts once: by the latest answer the contact gave in the
 * period (a contact who answered three surveys in a quarter is one voice, as it is one person of
 * the account). Periods are half-open [from, to) in instants; quarters are UTC calendar quarters.
 */
final class AccountNps {
    record Answer(long contactId, long responseId, int score, Instant receivedAt, String campaign) {
        String category() {
            return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
        }
    }

    /** Counts and NPS (one decimal, null without answers) over one answer per contact. */
    record Figures(int responded, int promoters, int passives, int detractors) {
        Double nps() {
            return responded == 0 ? null : round(100.0 * (promoters - detractors) / responded);
        }

        Double share(int part) {
            return responded == 0 ? null : round(100.0 * part / responded);
        }
    }

    /** {@code label}: {@code 2027-Q1}; {@code from} and {@code to} its first and last day. */
    record Quarter(String label, LocalDate from, LocalDate to, Figures figures) {
    }

    private static final Comparator<Answer> LATEST = Comparator.comparing(Answer::receivedAt)
            .thenComparingLong(Answer::responseId);

    private AccountNps() {
    }

    /** Each contact's latest answer received in [from, to), by contact id. */
    static Map<Long, Answer> latestPerContact(Collection<Answer> answers, Instant from, Instant to) {
        Map<Long, Answer> latest = new HashMap<>();
        for (Answer a : answers) {
            if (!a.receivedAt().isBefore(from) && a.receivedAt().isBefore(to)) {
                latest.merge(a.contactId(), a, (x, y) -> LATEST.compare(x, y) >= 0 ? x : y);
            }
        }
        return latest;
    }

    static Figures figures(Collection<Answer> onePerContact) {
        int promoters = 0;
        int passives = 0;
        int detractors = 0;
        for (Answer a : onePerContact) {
            switch (a.category()) {
                case "promoter" -> promoters++;
                case "passive" -> passives++;
                default -> detractors++;
            }
        }
        return new Figures(onePerContact.size(), promoters, passives, detractors);
    }

    /** The {@code count} quarters ending with the one holding {@code last}, oldest first, each over its own latest answers. */
    static List<Quarter> quarters(Collection<Answer> answers, LocalDate last, int count) {
        List<Quarter> out = new ArrayList<>(count);
        LocalDate start = quarterStart(last).minusMonths(3L * (count - 1));
        for (int i = 0; i < count; i++) {
            LocalDate from = start.plusMonths(3L * i);
            LocalDate next = from.plusMonths(3);
            Figures figures = figures(latestPerContact(answers, utc(from), utc(next)).values());
            out.add(new Quarter(from.getYear() + "-Q" + ((from.getMonthValue() - 1) / 3 + 1), from, next.minusDays(1), figures));
        }
        return out;
    }

    static LocalDate quarterStart(LocalDate day) {
        return LocalDate.of(day.getYear(), (day.getMonthValue() - 1) / 3 * 3 + 1, 1);
    }

    static Instant utc(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Double round(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}

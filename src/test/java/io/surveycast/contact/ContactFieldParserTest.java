package io.surveycast.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContactFieldParserTest {
    private final ContactFieldParser parser = new ContactFieldParser("FR");

    @Test
    void phonesWithoutCountryCodeUseTheDefaultRegion() throws FieldError {
        assertThat(parser.phone("06 12 34 56 78")).isEqualTo("+33612345678");
        assertThat(parser.phone("+44 20 7946 0958")).isEqualTo("+442079460958");
        assertThatThrownBy(() -> parser.phone("+1 555")).isInstanceOf(FieldError.class);
        assertThatThrownBy(() -> parser.phone("call me")).hasMessageContaining("not a phone number");
    }

    @Test
    void emailsAreCheckedStrictly() throws FieldError {
        assertThat(parser.email("first.last+nps@Example.COM")).isEqualTo("first.last+nps@example.com");
        for (String bad : new String[] {"a@b", "a@@b.com", "a b@c.com", "@c.com", "a@c..com", "a@-c.com"}) {
            assertThatThrownBy(() -> parser.email(bad)).as(bad).isInstanceOf(FieldError.class);
        }
    }

    @Test
    void localesAndZones() throws FieldError {
        assertThat(parser.locale("pt_BR")).isEqualTo("pt-BR");
        assertThatThrownBy(() -> parser.locale("english please")).isInstanceOf(FieldError.class);
        assertThat(parser.timezone("Australia/Sydney")).isEqualTo("Australia/Sydney");
        assertThatThrownBy(() -> parser.timezone("+02:00")).isInstanceOf(FieldError.class);
        assertThatThrownBy(() -> parser.timezone("CEST")).isInstanceOf(FieldError.class);
    }

    @Test
    void datesAreStrict() throws FieldError {
        assertThat(parser.renewalDate("2028-02-29")).hasToString("2028-02-29");
        assertThatThrownBy(() -> parser.renewalDate("2027-02-29")).isInstanceOf(FieldError.class);
        assertThatThrownBy(() -> parser.renewalDate("03/01/2027")).isInstanceOf(FieldError.class);
        assertThat(parser.onboardedAt("2026-03-29T02:30:00", "Europe/Paris").toInstant())
                .as("a local time skipped by the DST change moves forward").hasToString("2026-03-29T01:30:00Z");
    }

    @Test
    void errorValuesStayOnOneLine() {
        assertThat(ContactFieldParser.shown("a\nb\tc")).isEqualTo("a\\nb\\u0009c");
        assertThat(ContactFieldParser.shown("x".repeat(100))).hasSize(83).endsWith("...");
    }
}

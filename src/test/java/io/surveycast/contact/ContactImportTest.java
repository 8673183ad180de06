package io.surveycast.contact;

import static io.surveycast.db.Tables.AUDIT_LOG;
import static io.surveycast.db.Tables.CONTACT;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.db.tables.records.ContactRecord;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ContactImportTest {
    private static final String HEADER =
            "external_id,email,phone,name,locale,timezone,onboarded_at,renewal_date,plan,region\n";

    @TempDir
    Path dir;
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_CLOCK", "fixed:2026-11-01T12:00:00Z"));

    @Test
    void mixedFileImportsTheGoodRowsAndReportsEveryBadOneByLineAndColumn() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((HEADER
                + "c1,alice@example.com,+1 415 555 0100,Alice,en-US,America/Los_Angeles,2026-10-01,2027-03-01,pro,us\n"
                + "c2,not-an-email,,Bob,,,,,basic,eu\n"
                + "c3,,12345,Carol,,,,,,\n"
                + "c4,d@example.com,,Dan,,Mars/Base,,,,\n"
                + "c5,e@example.com,,Eve,,,2026-02-30,,,\n"
                + ",f@example.com,,Frank,,,,,,\n"
                + "c1,alice2@example.com,,Alice Again,,,,,,\n"
                + "c8,,,Nobody,,,,,,\n"
                + "c9,g@example.com,,G").getBytes(StandardCharsets.UTF_8));
        bytes.write(0xE9); // Latin-1 é: not UTF-8
        bytes.writeBytes(("rard,,,,,,\n"
                + "c10,h@example.com,,Short\n"
                + "c11,i@example.com,(415) 555-0123,\"Ivy, \"\"the\"\" second\",fr_CA,Europe/Paris,"
                + "2026-11-01T10:00:00+02:00,,enterprise,\"emea\nnorth\"\n"
                + "c12,j@example.com,,Jay,,,,2027-13-01,,\n").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("contacts.csv");
        Files.write(file, bytes.toByteArray());

        CliRun run = CliRun.run(db.settings(), "contacts", "import", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.outLines()).containsExactly("imported 2, updated 0, unchanged 0, rejected 10");
        assertThat(run.errLines()).containsExactly(
                file + ":3: email: not a valid email address: not-an-email",
                file + ":4: phone: not a valid phone number in region US: 12345",
                file + ":5: timezone: not an IANA time zone (e.g. Europe/Paris): Mars/Base",
                file + ":6: onboarded_at: not a valid ISO-8601 date or date-time: 2026-02-30 (Invalid date 'FEBRUARY 30')",
                file + ":7: external_id: missing",
                file + ":8: external_id: duplicate external_id (first on line 2)",
                file + ":9: email: needs an email or a phone number",
                file + ":10: name: not valid UTF-8 text",
                file + ":11: row: expected 10 columns, found 4",
                // line 12 is a good row whose quoted region spans two lines; the next row starts on line 14
                file + ":14: renewal_date: not a valid ISO-8601 date (YYYY-MM-DD): 2027-13-01"
                        + " (Invalid value for MonthOfYear (valid values 1 - 12): 13)");
    }

    @Test
    void goodRowsAreNormalised() throws IOException {
        Path file = write(HEADER
                + "c1,Alice@EXAMPLE.com,+1 415 555 0100,Alice,en_us,America/Los_Angeles,2026-10-01,2027-03-01,pro,us\n"
                + "c2,,(415) 555-0123,Bob,fr-CA,Europe/Paris,2026-11-01T10:00:00+02:00,,enterprise,\n");

        CliRun run = CliRun.run(db.settings(), "contacts", "import", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("imported 2, updated 0, unchanged 0, rejected 0");
        ContactRecord alice = contact("c1");
        assertThat(alice.getEmail()).isEqualTo("Alice@example.com");
        assertThat(alice.getPhone()).isEqualTo("+14155550100");
        assertThat(alice.getLocale()).isEqualTo("en-US");
        assertThat(alice.getOnboardedAt().toInstant()).isEqualTo(OffsetDateTime.parse("2026-10-01T00:00:00-07:00").toInstant());
        assertThat(alice.getRenewalDate()).isEqualTo(LocalDate.parse("2027-03-01"));
        assertThat(alice.getAttributes().data()).isEqualTo("{\"plan\": \"pro\", \"region\": \"us\"}");
        assertThat(alice.getCreatedAt().toInstant()).hasToString("2026-11-01T12:00:00Z");
        ContactRecord bob = contact("c2");
        assertThat(bob.getEmail()).isNull();
        assertThat(bob.getPhone()).isEqualTo("+14155550123");
        assertThat(bob.getOnboardedAt().toInstant()).hasToString("2026-11-01T08:00:00Z");
        assertThat(bob.getAttributes().data()).isEqualTo("{\"plan\": \"enterprise\"}");
    }

    @Test
    void anImportLeavesThePlannerWithStatisticsOfTheContactsItWrote() throws IOException {
        // issue 18.4: the next due-scan is planned for the table as it is now, not as it was
        StringBuilder file = new StringBuilder("external_id,email\n");
        for (int i = 0; i < 3000; i++) {
            file.append("s").append(i).append(",s").append(i).append("@example.com\n");
        }
        CliRun run = CliRun.run(db.settings(), "contacts", "import", write(file.toString()).toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Float rows = db.dsl().fetchOne("select reltuples from pg_class where relname = 'contact'").get(0, Float.class);
        assertThat(rows).as("estimated rows of contact").isEqualTo(3000f);
    }

    @Test
    void reimportCountsUpdatedAndUnchangedAndKeepsColumnsTheFileDoesNotHave() throws IOException {
        CliRun.run(db.settings(), "contacts", "import", write(HEADER
                + "c1,a@example.com,,Alice,,,,,pro,us\n"
                + "c2,b@example.com,,Bob,,,,,basic,eu\n"
                + "c3,c@example.com,,Carol,,,,,basic,eu\n").toString());

        // no phone, renewal_date or region column: those stay as they are; an empty plan removes it
        Path update = write("external_id,email,name,plan,owner_email\n"
                + "c1,a@example.com,Alice,pro,\n"
                + "c2,b@example.com,Robert,,\n"
                + "c3,c@example.com,Carol,basic,sam@acme.test\n"
                + "c4,d@example.com,Dan,pro,\n");
        CliRun run = CliRun.run(db.settings(), "contacts", "import", update.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("imported 1, updated 2, unchanged 1, rejected 0");
        assertThat(contact("c2").getName()).isEqualTo("Robert");
        assertThat(contact("c2").getAttributes().data()).isEqualTo("{\"region\": \"eu\"}");
        assertThat(contact("c3").getAttributes().data())
                .isEqualTo("{\"plan\": \"basic\", \"region\": \"eu\", \"owner_email\": \"sam@acme.test\"}");
        assertThat(contact("c1").getUpdatedAt()).isEqualTo(contact("c1").getCreatedAt());
        assertThat(db.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("contacts.import"))).isEqualTo(2);
    }

    @Test
    void dryRunReportsTheSameCountsAndWritesNothing() throws IOException {
        CliRun.run(db.settings(), "contacts", "import", write(HEADER + "c1,a@example.com,,Alice,,,,,pro,us\n").toString());
        Path file = write(HEADER
                + "c1,a@example.com,,Alicia,,,,,pro,us\n"
                + "c2,b@example.com,,Bob,,,,,basic,eu\n"
                + "c3,bad,,Carol,,,,,basic,eu\n");
        String before = snapshot();

        CliRun dry = CliRun.run(db.settings(), "contacts", "import", file.toString(), "--dry-run");

        assertThat(dry.exitCode()).isEqualTo(2);
        assertThat(dry.outLines()).containsExactly("imported 1, updated 1, unchanged 0, rejected 1");
        assertThat(dry.err()).contains(file + ":4: email: not a valid email address: bad");
        assertThat(snapshot()).isEqualTo(before);

        CliRun real = CliRun.run(db.settings(), "contacts", "import", file.toString());
        assertThat(real.outLines()).isEqualTo(dry.outLines());
        assertThat(snapshot()).isNotEqualTo(before);
    }

    @Test
    void headerProblemsRejectTheWholeFileWithExitCode2() throws IOException {
        CliRun noId = CliRun.run(db.settings(), "contacts", "import", write("email,name\na@example.com,A\n").toString());
        CliRun noChannel = CliRun.run(db.settings(), "contacts", "import", write("external_id,name\nc1,A\n").toString());
        CliRun twice = CliRun.run(db.settings(), "contacts", "import",
                write("external_id,email,Email\nc1,a@example.com,b@example.com\n").toString());
        CliRun missing = CliRun.run(db.settings(), "contacts", "import", dir.resolve("nope.csv").toString());
        CliRun empty = CliRun.run(db.settings(), "contacts", "import", write("").toString());

        assertThat(noId.exitCode()).isEqualTo(2);
        assertThat(noId.err()).contains(":1: external_id: required column is missing from the header");
        assertThat(noChannel.err()).contains(":1: email: the header needs an email or a phone column");
        assertThat(twice.err()).contains(":1: Email: column appears twice in the header");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.csv: no such file");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(db.dsl().fetchCount(CONTACT)).isZero();
    }

    @Test
    void brokenQuotingRejectsTheFileAndImportsNothing() throws IOException {
        Path file = write(HEADER + "c1,a@example.com,,Alice,,,,,pro,us\nc2,b@example.com,,\"Bob,,,,,,\n");

        CliRun run = CliRun.run(db.settings(), "contacts", "import", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":3: row:").contains("nothing was imported");
        assertThat(db.dsl().fetchCount(CONTACT)).isZero();
    }

    @Test
    void byteOrderMarkAndWindowsLineEndingsAreAccepted() throws IOException {
        Path file = write("\uFEFFexternal_id,email\r\nc1,a@example.com\r\nc2,b@example.com\r\n");

        CliRun run = CliRun.run(db.settings(), "contacts", "import", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("imported 2, updated 0, unchanged 0, rejected 0");
    }

    @Test
    void aMisspelledColumnRefusesTheFileUnlessAcceptedOnPurpose() throws IOException {
        Path file = write("external_id,email,timezon,renewal,Owner_Email,acount,plan\n"
                + "c1,a@example.com,Europe/Paris,2027-03-01,o@acme.example,Acme,pro\n");

        CliRun refused = CliRun.run(db.settings(), "contacts", "import", file.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).hasSize(4);
        assertThat(refused.err())
                .contains(file + ":1: timezon: unknown column; did you mean timezone?")
                .contains(file + ":1: renewal: unknown column; did you mean renewal_date?")
                .contains(file + ":1: Owner_Email: unknown column; did you mean owner_email?")
                .contains(file + ":1: acount: unknown column; did you mean account?")
                .doesNotContain("plan");
        assertThat(db.dsl().fetchCount(CONTACT)).isZero();

        CliRun accepted = CliRun.run(db.settings(), "contacts", "import", file.toString(),
                "--accept-column", "timezon,renewal", "--accept-column", "Owner_Email", "--accept-column", "acount");

        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(contact("c1").getAttributes().data()).contains("\"timezon\": \"Europe/Paris\"")
                .contains("\"Owner_Email\": \"o@acme.example\"");
    }

    @Test
    void everyErrorOfARowIsReported() throws IOException {
        Path file = write(HEADER + "c1,not-an-email,,Alice,,Mars/Base,,2027-13-01,pro,us\n");

        CliRun run = CliRun.run(db.settings(), "contacts", "import", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                file + ":2: email: not a valid email address: not-an-email",
                file + ":2: timezone: not an IANA time zone (e.g. Europe/Paris): Mars/Base",
                file + ":2: renewal_date: not a valid ISO-8601 date (YYYY-MM-DD): 2027-13-01"
                        + " (Invalid value for MonthOfYear (valid values 1 - 12): 13)");
    }

    @Test
    void aNulCharacterIsAnErrorOnItsLineNotACrash() throws IOException {
        Path file = write(HEADER + "c1,a@example.com,,Al\u0000ice,,,,,pro,us\nc2,b@example.com,,Bob,,,,,pro,u\u0000s\n"
                + "c3,c@example.com,,Cy,,,,,pro,us\n");
        Path header = write("external_id,email,pl\u0000an\nc1,a@example.com,pro\n");

        CliRun run = CliRun.run(db.settings(), "contacts", "import", file.toString());
        CliRun badHeader = CliRun.run(db.settings(), "contacts", "import", header.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                file + ":2: name: contains a NUL character",
                file + ":3: region: contains a NUL character");
        assertThat(run.outLines()).containsExactly("imported 1, updated 0, unchanged 0, rejected 2");
        assertThat(badHeader.exitCode()).isEqualTo(2);
        assertThat(badHeader.err()).contains(header + ":1: column 3: header contains a NUL character");
    }

    @Test
    void fieldsHaveLimitsAndNamesAreOneLine() throws IOException {
        String big = "x".repeat(5_000_000);
        Path file = write(HEADER
                + "c1,a@example.com,,\"Ann\r\nBcc: evil@example.com\",,,,,pro,us\n"
                + "c2,b@example.com,,%s,,,,,pro,us\n".formatted("B".repeat(201))
                + "c3,c@example.com,,Cy,,,,,%s,us\n".formatted(big)
                + "%s,d@example.com,,Dan,,,,,pro,us\n".formatted("d".repeat(256))
                + "c5,e@example.com,,%s,,,,,pro,us\n".formatted("E".repeat(200)));

        CliRun run = CliRun.run(db.settings(), "contacts", "import", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                file + ":2: name: contains a control character (line break, tab...): one line of text expected",
                file + ":4: name: longer than 200 characters (201)",
                file + ":5: plan: longer than 1000 characters (5000000)",
                file + ":6: external_id: longer than 255 characters (256)");
        assertThat(run.outLines()).containsExactly("imported 1, updated 0, unchanged 0, rejected 4");
    }

    private ContactRecord contact(String externalId) {
        return db.dsl().selectFrom(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOne();
    }

    private String snapshot() {
        return db.dsl().selectFrom(CONTACT).orderBy(CONTACT.ID).fetch().formatCSV()
                + db.dsl().selectFrom(AUDIT_LOG).orderBy(AUDIT_LOG.ID).fetch().formatCSV();
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "contacts", ".csv");
        Files.writeString(file, content);
        return file;
    }
}

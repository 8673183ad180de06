package io.surveycast.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.channel.TemplateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateOverrideTest {

    @Test
    void templatesAreFoundInTheOverrideDirectoryFirstThenInTheJar(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sms"));
        Files.writeString(dir.resolve("sms/custom.txt"), "Hi ${contact.name}, reply 0-10");
        Files.writeString(dir.resolve("sms/broken.txt"), "Hi ${contact.name");
        TemplateStore store = new TemplateStore(Optional.of(dir));

        assertThat(store.problem("sms", "custom")).isEmpty();
        assertThat(store.problem("sms", "nps-invite")).as("packaged default").isEmpty();
        assertThat(store.problem("email", "nps-invite")).isEmpty();
        assertThat(store.problem("sms", "broken")).get().asString().startsWith("templates/sms/broken.txt line 1:");
        assertThat(store.problem("email", "custom")).get().asString()
                .isEqualTo("template custom not found (expected templates/email/custom.html)");
        assertThat(new TemplateStore(Optional.empty()).problem("sms", "custom")).isPresent();
    }

    @Test
    void aBrokenLocaleVariantIsReportedAndTheMostSpecificLocaleWins(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sms"));
        Files.writeString(dir.resolve("sms/hello.txt"), "Hello ${contact.name}");
        Files.writeString(dir.resolve("sms/hello.fr.txt"), "Bonjour ${contact.name}");
        Files.writeString(dir.resolve("sms/hello.fr-CA.txt"), "Allo ${contact.name}");
        TemplateStore store = new TemplateStore(Optional.of(dir));
        var model = java.util.Map.of("contact", java.util.Map.of("name", "Zoé"));

        assertThat(store.problem("sms", "hello")).isEmpty();
        assertThat(store.render("sms", "hello", "fr-CA", "txt", model)).isEqualTo("Allo Zoé");
        assertThat(store.render("sms", "hello", "fr_FR", "txt", model)).isEqualTo("Bonjour Zoé");
        assertThat(store.render("sms", "hello", "de", "txt", model)).isEqualTo("Hello Zoé");
        assertThat(store.render("sms", "hello", null, "txt", model)).isEqualTo("Hello Zoé");
        assertThat(store.localeVariants("email", "nps-invite")).as("packaged French")
                .contains("email/nps-invite.fr.html", "email/nps-invite.fr.txt");

        Files.writeString(dir.resolve("sms/hello.de.txt"), "Hallo ${contact.name");
        assertThat(new TemplateStore(Optional.of(dir)).problem("sms", "hello")).get().asString()
                .startsWith("templates/sms/hello.de.txt line 1:");
    }

    @Test
    void htmlTemplatesEscapeWhatTheyInsert(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("email"));
        Files.writeString(dir.resolve("email/x.html"), "<p>${name}</p>");
        Files.writeString(dir.resolve("email/x.txt"), "${name}");
        TemplateStore store = new TemplateStore(Optional.of(dir));

        var html = new java.io.StringWriter();
        store.freemarker().getTemplate("email/x.html").process(java.util.Map.of("name", "<b>&"), html);
        var text = new java.io.StringWriter();
        store.freemarker().getTemplate("email/x.txt").process(java.util.Map.of("name", "<b>&"), text);

        assertThat(html).hasToString("<p>&lt;b&gt;&amp;</p>");
        assertThat(text).hasToString("<b>&");
    }
}

package io.surveycast.user;

import io.surveycast.channel.TemplateStore;
import io.surveycast.http.FormBody;
import io.surveycast.http.FormSigner;
import io.surveycast.http.PageAccess;
import io.surveycast.http.Pages;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * What every page behind the sign-in shares: the session check (a refusal answered with the login
 * page or 403), forms posted with a signed field ({@link FormSigner}) besides the session, the
 * model every dashboard template starts from, and rendering a {@code web} template.
 */
public final class SignedInPages {
    private final SessionAuth auth;
    private final TemplateStore templates;
    private final FormSigner signer;
    private final String company;

    /** {@code signer} may be null for pages that post no form. */
    public SignedInPages(SessionAuth auth, TemplateStore templates, FormSigner signer, String company) {
        this.auth = auth;
        this.templates = templates;
        this.signer = signer;
        this.company = company;
    }

    /** A signed-in user's post of a form, with its fields. */
    public record Post(User user, Map<String, String> form) {
    }

    /** The signed-in user whose role includes {@code needed}; otherwise the answer is written and nothing comes back. */
    public Optional<User> user(Exchange exchange, Role needed) {
        return PageAccess.require(exchange, auth, needed.id());
    }

    /**
     * A form posted by a signed-in user whose role includes {@code needed}, carrying the field
     * {@code csrf} signed for {@code form} and {@code token}. A {@code token} of null (the path names
     * nothing the form can act on) or a field not signed so is answered 403; then nothing comes back.
     */
    public Optional<Post> post(Exchange exchange, Role needed, String form, String token) {
        Optional<User> user = user(exchange, needed);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> fields = FormBody.of(exchange.getMessage());
        if (token == null || !signer.verify(form, token, fields.get("csrf"))) {
            Pages.text(exchange, 403, "Forbidden: this form did not come from this site.\n");
            return Optional.empty();
        }
        return Optional.of(new Post(user.get(), fields));
    }

    /** The signed field a page puts in a form it shows, for {@link #post}. */
    public String sign(String form, String token) {
        return signer.sign(form, token);
    }

    /** The model every dashboard template starts from: the company, and who is signed in. */
    public Map<String, Object> model(User user) {
        Map<String, Object> model = new HashMap<>();
        model.put("company", company);
        model.put("user", user.name());
        model.put("role", user.role().id());
        return model;
    }

    /** The {@code web} template {@code name} as an HTML page. */
    public void render(Exchange exchange, int status, String name, Map<String, Object> model) {
        Pages.html(exchange, status, templates.render("web", name, null, "html", model));
    }
}

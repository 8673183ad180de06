package io.surveycast.user;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.http.FormSigner;
import io.surveycast.http.TokenBackoff;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** Users, their API tokens and dashboard sessions: the checks every API route and page runs, sign-in, and the users API. */
public final class UserConfiguration implements CamelConfiguration {
    private Users users;
    private Sessions sessions;
    private SessionAuth sessionAuth;

    @BindToRegistry("users")
    Users users(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return shared(dsl, clock);
    }

    @BindToRegistry("apiAuth")
    ApiAuth apiAuth(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                    @BeanInject("tokenBackoff") TokenBackoff tokenBackoff) {
        return new ApiAuth(shared(dsl, clock), tokenBackoff);
    }

    @BindToRegistry("sessionAuth")
    synchronized SessionAuth sessionAuth(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        if (sessionAuth == null) {
            sessionAuth = new SessionAuth(sessions(dsl, clock));
        }
        return sessionAuth;
    }

    @BindToRegistry("loginPage")
    LoginPage loginPage(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                        @BeanInject("settings") Settings settings, @BeanInject("templates") TemplateStore templates,
                        @BeanInject("tokenBackoff") TokenBackoff tokenBackoff) {
        return new LoginPage(sessions(dsl, clock), templates, settings.get("surveycast.company-name", "Acme"), settings.publicUrl(),
                tokenBackoff);
    }

    @BindToRegistry("usersPage")
    UsersPage usersPage(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                        @BeanInject("settings") Settings settings, @BeanInject("templates") TemplateStore templates,
                        @BeanInject("formSigner") FormSigner formSigner) {
        return new UsersPage(shared(dsl, clock), sessionAuth(dsl, clock), templates, formSigner,
                settings.get("surveycast.company-name", "Acme"));
    }

    @BindToRegistry("meEndpoint")
    MeEndpoint meEndpoint() {
        return new MeEndpoint();
    }

    @BindToRegistry("usersEndpoint")
    UsersEndpoint usersEndpoint(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return new UsersEndpoint(shared(dsl, clock));
    }

    private synchronized Users shared(DSLContext dsl, Clock clock) {
        if (users == null) {
            users = new Users(dsl, clock);
        }
        return users;
    }

    private synchronized Sessions sessions(DSLContext dsl, Clock clock) {
        if (sessions == null) {
            sessions = new Sessions(dsl, clock, shared(dsl, clock));
        }
        return sessions;
    }
}

package io.surveycast.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.config.Database;
import io.surveycast.support.TestDatabase;
import io.surveycast.user.Role;
import io.surveycast.user.User;
import io.surveycast.user.Users;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.surveycast.http.ApiGate;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.TokenBackoff;

/** Roles are enforced on the server (the token check as the API routes run it, through ApiGate): each role passes its own checks and the weaker ones, and is refused the stronger. */
class ApiAuthTest {
    Database database;
    Users users;
    ApiAuth auth;

    @BeforeEach
    void setUp() {
        database = TestDatabase.open(TestDatabase.freshUrl());
        users = new Users(database.dsl(), Clock.systemUTC());
        auth = new ApiAuth(users, new TokenBackoff(10));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void eachRoleReachesItsLevelAndBelowAndGets403Above() {
        String viewer = users.add("v", Role.VIEWER, "test").token();
        String ops = users.add("o", Role.OPS, "test").token();
        String admin = users.add("a", Role.ADMIN, "test").token();

        assertThat(check(viewer, "viewer")).isEqualTo(200);
        assertThat(check(viewer, "ops")).isEqualTo(403);
        assertThat(check(viewer, "admin")).isEqualTo(403);
        assertThat(check(ops, "viewer")).isEqualTo(200);
        assertThat(check(ops, "ops")).isEqualTo(200);
        assertThat(check(ops, "admin")).isEqualTo(403);
        assertThat(check(admin, "admin")).isEqualTo(200);
        assertThat(check(null, "viewer")).isEqualTo(401);
    }

    @Test
    void theAuthenticatedUserIsLeftOnTheExchangeAndTheHeaderRemoved() {
        String token = users.add("o", Role.OPS, "test").token();
        Exchange exchange = exchange(token);

        ApiGate.admit(exchange, auth, "ops");

        assertThat(exchange.getProperty(ApiGate.USER, User.class).name()).isEqualTo("o");
        assertThat(exchange.getMessage().getHeader("Authorization")).isNull();
        assertThatThrownBy(() -> ApiGate.admit(exchange(token.substring(0, token.length() - 1)), auth, "ops"))
                .isInstanceOf(ApiProblem.class);
    }

    private int check(String token, String level) {
        Exchange exchange = exchange(token);
        try {
            ApiGate.admit(exchange, auth, level);
            return 200;
        } catch (ApiProblem problem) {
            return problem.status();
        }
    }

    private static Exchange exchange(String token) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        if (token != null) {
            exchange.getMessage().setHeader("Authorization", "Bearer " + token);
        }
        return exchange;
    }
}

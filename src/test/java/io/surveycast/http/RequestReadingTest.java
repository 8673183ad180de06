package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Query strings, cookies and form bodies as Netty (under Vert.x) decodes them, with our rules on top. */
class RequestReadingTest {
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void queryParametersComeFromTheRawQueryStringOnceEach() {
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "q=slow+support%3B&limit=%2B3&campaign=&by");
        exchange.getMessage().setHeader("campaign", "from-a-header");
        ApiRequest request = new ApiRequest(exchange);
        assertThat(request.query("q")).isEqualTo("slow support;");
        assertThat(request.integer("limit", 50)).isEqualTo(3);
        assertThat(request.query("campaign")).as("a header is not a parameter").isNull();
        assertThat(request.query("by")).isNull();

        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "q=a;b&q=c");
        assertThatThrownBy(() -> new ApiRequest(exchange).query("q")).isInstanceOf(ApiProblem.class)
                .hasMessage("q: given more than once");
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "q=%2");
        assertThatThrownBy(() -> new ApiRequest(exchange).query("q")).isInstanceOf(ApiProblem.class)
                .hasMessage("the query string is not well encoded");
    }

    @Test
    void cookiesAreReadQuotedOrNotAndSeparatedBySemicolonsOrCommas() {
        exchange.getMessage().setHeader("Cookie", "other=1; sc_session=\"abc\"; sc_session=second");
        assertThat(Cookies.get(exchange.getMessage(), "sc_session")).hasValue("abc");
        exchange.getMessage().setHeader("Cookie", "other=1, sc_session=xyz");
        assertThat(Cookies.get(exchange.getMessage(), "sc_session")).hasValue("xyz");
        assertThat(Cookies.get(exchange.getMessage(), "missing")).isEmpty();
    }

    @Test
    void aFormBodyKeepsTheFirstValueOfEachField() {
        exchange.getMessage().setBody("comment=a%3Bb;c&score=9&score=3&step");
        assertThat(FormBody.of(exchange.getMessage())).containsExactly(
                java.util.Map.entry("comment", "a;b;c"), java.util.Map.entry("score", "9"), java.util.Map.entry("step", ""));
    }
}

package io.surveycast.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns an exception caught by the HTTP error handler into an RFC 9457 problem response. */
public final class ProblemResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);
    private final java.util.function.Function<Exception, ApiProblem> features;

    /**
     * @param features a feature's own exception as the problem it answers (null: not theirs), e.g.
     *                 the reports' bound reached as a 503; the toolkit knows no feature
     */
    public ProblemResponder(java.util.function.Function<Exception, ApiProblem> features) {
        this.features = features;
    }

    public void respond(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!(caught instanceof ApiProblem) && caught != null) {
            ApiProblem theirs = features.apply(caught);
            caught = theirs != null ? theirs : caught;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        int status;
        if (caught instanceof ApiProblem api) {
            status = api.status();
            problem.put("title", api.title());
            problem.put("status", status);
            problem.put("detail", api.getMessage());
            problem.putAll(api.extensions());
        } else if (caught instanceof io.surveycast.config.InvalidInputException invalid) {
            status = 422;
            problem.put("title", "Unprocessable Content");
            problem.put("status", status);
            problem.put("detail", invalid.getMessage());
        } else {
            status = 500;
            LOG.error("request {} failed", exchange.getMessage().getHeader(Exchange.HTTP_URI), caught);
            problem.put("title", "Internal Server Error");
            problem.put("status", status);
            problem.put("detail", "the server could not answer; the error is in its log");
        }
        problem.put("instance", exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
        HttpResponses.json(exchange, status, problem, "application/problem+json");
        if (caught instanceof ApiProblem api) {
            api.headers().forEach(exchange.getMessage()::setHeader);
        }
        if (status == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"surveycast\"");
        }
    }
}

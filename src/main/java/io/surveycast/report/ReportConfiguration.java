package io.surveycast.report;

import io.surveycast.config.Settings;
import io.surveycast.http.ProblemResponder;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/**
 * Reports: one {@link Reports} for the API, the dashboard and the roll-up refresh, so that its
 * bound on reports running at once covers them all (a storm of report requests cannot queue
 * /health or survey pages), the reports API (its rows' JSON as the command line writes it) and the
 * API's problem responder.
 */
public final class ReportConfiguration implements CamelConfiguration {
    private Reports reports;

    @BindToRegistry("reports")
    Reports reports(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl) {
        return shared(settings, dsl);
    }

    @BindToRegistry("reportsEndpoint")
    ReportsEndpoint reportsEndpoint(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                    @BeanInject("reportRowsJson") Function<List<ReportRow>, Object> json) {
        return new ReportsEndpoint(shared(settings, dsl), json);
    }

    @BindToRegistry("problemResponder")
    ProblemResponder problemResponder() {
        return new ProblemResponder(ReportsEndpoint::problem);
    }

    private synchronized Reports shared(Settings settings, DSLContext dsl) {
        if (reports == null) {
            reports = new Reports(dsl, Integer.parseInt(settings.get("surveycast.report.concurrency",
                    Integer.toString(Reports.DEFAULT_CONCURRENCY)).strip()));
        }
        return reports;
    }
}

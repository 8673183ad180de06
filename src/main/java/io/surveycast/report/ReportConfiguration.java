package io.surveycast.report;

import io.surveycast.config.Settings;
import io.surveycast.http.ProblemResponder;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import io.surveycast.config.InvalidInputException;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.jooq.DSLContext;

/**
 * Reports: one {@link Reports} for the API, the dashboard and the roll-up refresh, so that its
 * bound on reports running at once covers them all (a storm of report requests cannot queue
 * /health or survey pages), the reports API (its rows' JSON as the command line writes it) and the
 * API's problem responder. The server's reports read the report replica (SURVEYCAST_REPORT_REPLICA),
 * loaded in the background from the start.
 */
public final class ReportConfiguration implements CamelConfiguration {
    private Reports reports;
    private ReportReplica replica;

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
            ReportSettings reportSettings = ReportSettings.fromSettings(settings);
            replica = replicaWanted(settings) ? ReportReplica.loadLater(dsl, reportSettings) : null;
            reports = new Reports(dsl, Integer.parseInt(settings.get("surveycast.report.concurrency",
                    Integer.toString(Reports.DEFAULT_CONCURRENCY)).strip()), reportSettings, replica);
        }
        return reports;
    }

    /** {@code SURVEYCAST_REPORT_REPLICA}: on (the default) or off (every report reads PostgreSQL). */
    private static boolean replicaWanted(Settings settings) {
        String value = settings.get("surveycast.report.replica", "on").strip();
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new InvalidInputException("SURVEYCAST_REPORT_REPLICA: on or off, found: " + value);
        };
    }

    /** The replica's memory is freed when the routes stop. */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        ReportReplica made = replica;
        if (made != null) {
            camelContext.addService(new Service() {
                @Override
                public void start() {
                }

                @Override
                public void stop() {
                    made.close();
                }
            }, true, true);
        }
    }
}

package io.surveycast.http;

import org.apache.camel.builder.RouteBuilder;

/**
 * The routes of the REST API, made from {@link ApiContract}: for each operation of openapi.yaml one
 * HTTP route on its path and method that checks the caller against the operation's {@code x-role}
 * (through {@link ApiGate}, the {@link ApiGuard} bound as {@code apiAuth}) and hands the exchange to {@code direct:<operationId>},
 * which the operation's feature routes to its endpoint (routes/api.camel.yaml). Then, added last so
 * that it only sees what no operation took, anything else under /api: 404, or 405 with Allow.
 */
public final class ContractRoutes extends RouteBuilder {
    private static final String HTTP = "&headerFilterStrategy=#pageHeaderFilter";
    private final ApiContract contract;

    public ContractRoutes(ApiContract contract) {
        this.contract = contract;
    }

    @Override
    public void configure() {
        for (ApiContract.Operation op : contract.operations()) {
            String role = op.role();
            from("platform-http:" + op.path() + "?httpMethodRestrict=" + op.method() + HTTP)
                    .routeId("api-" + op.operationId())
                    .routeConfigurationId("http-errors")
                    .process(exchange -> ApiGate.admit(exchange, exchange.getContext().getRegistry()
                            .lookupByNameAndType("apiAuth", ApiGuard.class), role))
                    .to("direct:" + op.operationId());
        }
        from("platform-http:/api?matchOnUriPrefix=true" + HTTP)
                .routeId("api-fallback")
                .routeConfigurationId("http-errors")
                .process(new ApiFallback(contract)::answer);
    }
}

package io.surveycast.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * The HTTP server (request bodies up to {@link #MAX_BODY_BYTES}), answering {@code 503} with
 * {@code Retry-After} until Camel has started every route, and again once it has begun to stop.
 * Vert.x listens before Camel adds the routes, one by one: without the gate, a survey link or
 * {@code /health} opened in that instant got a 404, and the API's table of paths could be read
 * half-filled.
 */
public final class GatedHttpServer extends VertxPlatformHttpServer {
    /**
     * The largest request body accepted (413 beyond): every body we take is a small form, a JSON
     * object or a campaign's YAML, and an unbounded one would be read into memory whole.
     */
    static final long MAX_BODY_BYTES = 1 << 20;

    public GatedHttpServer(String host, int port) {
        super(configuration(host, port));
    }

    private static VertxPlatformHttpServerConfiguration configuration(String host, int port) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(host);
        configuration.setBindPort(port);
        configuration.setPath("/");
        configuration.setServerType(VertxPlatformHttpRouter.SERVER_TYPE_SERVER);
        configuration.getBodyHandler().setHandleFileUploads(false); // no endpoint takes multipart uploads
        configuration.setMaxBodySize(MAX_BODY_BYTES);
        return configuration;
    }

    /** Vert.x as the platform-http server makes it, telling of a blocked thread once per task. */
    @Override
    protected Vertx createVertxInstance() {
        Vertx vertx = super.createVertxInstance();
        // Vert.x offers no option for this: its checker's handler is set on the instance
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(new BlockedThreadReport());
        return vertx;
    }

    @Override
    protected void initializeServer() {
        super.initializeServer();
        CamelContext context = getCamelContext();
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(getConfigurationPort()));
        router.route().order(Integer.MIN_VALUE).handler(new HttpServerMeters(context)).handler(gate(context));
        // the body is read here, once, so that text no route could store is refused before any
        // of them runs; the routes' own body handler then has nothing left to do (Camel's would
        // resume the finished request, which HTTP/2 refuses)
        router.route().order(Integer.MIN_VALUE + 1)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(new TextInputGuard())
                .failureHandler(TextInputGuard::failed);
        context.getRegistry().unbind(router.getName()); // bound by type too: a second bind would sit beside it
        context.getRegistry().bind(router.getName(), new VertxPlatformHttpRouter(this, router.vertx(), router,
                router.getName(), router.getServerType()) {
            @Override
            public Handler<RoutingContext> bodyHandler() {
                return RoutingContext::next;
            }
        });
    }

    private static Handler<RoutingContext> gate(CamelContext context) {
        return request -> {
            if (context.isStarted()) {
                request.next();
                return;
            }
            boolean stopping = context.isStopping() || context.isStopped();
            request.response()
                    .setStatusCode(503)
                    .putHeader("Retry-After", stopping ? "5" : "1")
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .end(stopping ? "surveycast is stopping; try again in a moment\n"
                            : "surveycast is starting; try again in a moment\n");
        };
    }
}

package io.surveycast.http;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * platform-http's header filter, except that it lets {@code Cache-Control} out: Camel drops that
 * response header by default, and a page carrying a token and form secrets must not be cached.
 */
public final class PageHeaderFilter extends HttpHeaderFilterStrategy {
    public PageHeaderFilter() {
        getOutFilter().remove("cache-control");
    }
}

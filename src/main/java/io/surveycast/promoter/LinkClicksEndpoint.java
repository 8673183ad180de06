package io.surveycast.promoter;

import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;
import io.surveycast.http.Pages;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * {@code GET /r/{token}/{link}}: 303 to the campaign's follow-up link, one click counted (an
 * unknown token or link name is a 404 page and counts nothing); and
 * {@code GET /api/campaigns/{key}/links}: the campaign's clicks per link.
 */
public final class LinkClicksEndpoint {
    private final LinkClicks clicks;

    public LinkClicksEndpoint(LinkClicks clicks) {
        this.clicks = clicks;
    }

    public void follow(Exchange exchange) {
        var in = exchange.getMessage();
        Optional<String> url = clicks.follow(in.getHeader("token", String.class), in.getHeader("link", String.class));
        if (url.isEmpty()) {
            Pages.html(exchange, 404, """
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                    <meta name="robots" content="noindex, nofollow"><title>Link not found</title></head>
                    <body><main><h1>Link not found</h1><p>This link is not (or no longer) valid.</p></main></body></html>
                    """);
            return;
        }
        Pages.redirect(exchange, url.get());
        // the survey token is in this path: the site the link leads to is not told it
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
    }

    public void campaignLinks(Exchange exchange) {
        String key = new ApiRequest(exchange).path("key");
        var rows = clicks.byCampaign(key).orElseThrow(() -> ApiProblem.notFound("no campaign with key " + key));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaign", key);
        body.put("links", rows.stream().map(c -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.name());
            row.put("url", c.url());
            row.put("clicks", c.clicks());
            row.put("responses", c.responses());
            row.put("promoter_responses", c.promoterResponses());
            return row;
        }).toList());
        HttpResponses.json(exchange, 200, body);
    }
}

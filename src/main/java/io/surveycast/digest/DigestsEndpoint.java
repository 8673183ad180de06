package io.surveycast.digest;

import io.surveycast.http.HttpResponses;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/digests}: every digest as {@code digests list --format json} gives it, but a
 * webhook recipient is shown by its scheme and host only: an incoming-webhook URL is a secret
 * (whoever has it can post to the channel) and viewers may read this list.
 */
public final class DigestsEndpoint {
    private final Digests digests;

    public DigestsEndpoint(Digests digests) {
        this.digests = digests;
    }

    public void list(Exchange exchange) {
        HttpResponses.json(exchange, 200, digests.list().stream().map(d -> {
            Map<String, Object> row = d.json();
            List<String> to = new ArrayList<>();
            for (String recipient : d.to()) {
                to.add(DigestDefinition.isUrl(recipient) ? masked(recipient) : recipient);
            }
            row.put("to", to);
            return row;
        }).toList());
    }

    private static String masked(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + "/\u2026";
    }
}

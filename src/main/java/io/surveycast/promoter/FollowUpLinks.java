package io.surveycast.promoter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The addresses of a campaign's follow-up links for one respondent: each goes through
 * {@code /r/{token}/{link name}}, which counts the click and redirects to the campaign's own URL
 * (never to an address taken from the request, so it is no open redirect).
 */
public final class FollowUpLinks {
    private FollowUpLinks() {
    }

    /**
     * Link name to tracked address, in the campaign's order; {@code base} is the public URL for an
     * email, or empty for a page of this server.
     */
    public static Map<String, String> urls(String base, String token, Map<String, String> links) {
        Map<String, String> urls = new LinkedHashMap<>();
        String prefix = base.replaceAll("/+$", "") + "/r/" + token + "/";
        links.keySet().forEach(name -> urls.put(name, prefix + name));
        return urls;
    }
}

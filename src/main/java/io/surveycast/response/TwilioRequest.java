package io.surveycast.response;

import com.twilio.security.RequestValidator;
import java.util.Map;
import io.surveycast.http.ApiProblem;

/**
 * A webhook request from Twilio: its form parameters, accepted only with a valid
 * {@code X-Twilio-Signature}. The signature is checked with the SDK's {@link RequestValidator}
 * against the URL Twilio was given, built from {@code SURVEYCAST_PUBLIC_URL} and the path (plus
 * the query string, if any), never from the request's Host: behind a proxy or a load balancer the
 * Host we see is not the one Twilio signed.
 */
final class TwilioRequest {
    static final String SIGNATURE = "X-Twilio-Signature";
    private final RequestValidator validator;
    private final String publicUrl;

    /** {@code authToken} null: nothing can be verified, every request is refused. */
    TwilioRequest(String authToken, String publicUrl) {
        this.validator = authToken == null ? null : new RequestValidator(authToken);
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    /**
     * The form parameters {@code params} of a request to {@code path} with the raw query string
     * {@code query} (as Twilio was given it; null when none), if Twilio signed them ({@code signature},
     * its header); a 403 {@link ApiProblem} otherwise.
     */
    Map<String, String> verified(Map<String, String> params, String signature, String query, String path) {
        String url = publicUrl + path + (query == null || query.isEmpty() ? "" : "?" + query);
        if (validator == null) {
            throw new ApiProblem(403, "Forbidden", "TWILIO_AUTH_TOKEN is not set: Twilio's signature cannot be checked");
        }
        if (signature == null || signature.isBlank() || !validator.validate(url, params, signature)) {
            throw new ApiProblem(403, "Forbidden", SIGNATURE + " is missing or does not match this request");
        }
        return params;
    }
}

package com.returnbridge.vendor;

import java.util.regex.Pattern;

/**
 * Takes credentials out of what the vendor call log keeps: any JSON string value, or URL query parameter, whose name
 * mentions a token, secret, password, key or authorization (ShipHero's refresh and access tokens, the webhook's
 * {@code shared_signature_secret}, …). Works on text, so a body that is not valid JSON is redacted too.
 */
public final class Redaction {

    static final String REDACTED = "[redacted]";
    private static final String SENSITIVE = "[^\"]*(?:token|secret|password|passwd|api_?key|authorization|credential)[^\"]*";
    private static final Pattern JSON_VALUE = Pattern.compile(
            "(\"" + SENSITIVE + "\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\]\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUERY_VALUE = Pattern.compile(
            "([?&][^=&#]*(?:token|secret|password|api_?key|authorization|signature)[^=&#]*=)[^&#]*",
            Pattern.CASE_INSENSITIVE);

    private Redaction() {
    }

    public static String body(String text) {
        return text == null ? null : JSON_VALUE.matcher(text).replaceAll("$1\"" + REDACTED + "\"");
    }

    public static String url(String url) {
        return url == null ? null : QUERY_VALUE.matcher(url).replaceAll("$1" + REDACTED);
    }
}

package dev.resilience.autoconfigure.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The live dashboard page: one HTML file shipped in the jar (its CSS and script inline; nothing from a CDN, so it
 * works on a closed network), served at the endpoint's path + {@code /dashboard}. It reads the endpoint beside it
 * and acts through the endpoint's own POST operations, so whatever secures those secures its buttons; it shows the
 * buttons only once a POST the endpoint refuses as malformed (changing nothing) got past security.
 */
public final class ResilienceDashboard {

    /** The page may talk to its own origin only, and runs only its own inline script and style. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; connect-src 'self'; "
            + "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

    private final @Nullable String path;
    private final byte[] page;

    /** @param endpointPath the endpoint's path as Actuator maps it, or {@code null} to serve nothing */
    public ResilienceDashboard(@Nullable String endpointPath) {
        this.path = endpointPath == null ? null : endpointPath + "/dashboard";
        try (InputStream in = ResilienceDashboard.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the starter's jar");
            }
            this.page = in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Where the page is served, or {@code null} when it is not. */
    public @Nullable String path() {
        return path;
    }

    /** The page, never cached (it is a few kilobytes, and must follow the starter's version). */
    public ResponseEntity<byte[]> page() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer").body(page);
    }
}

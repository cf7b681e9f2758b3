package dev.resilience.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/** The built-in checks: an HTTP GET and a TCP connect, each bounded by the probe's timeout. */
public final class ProbeChecks {

    private ProbeChecks() {
    }

    /**
     * A GET of {@code url} that succeeds on a 2xx or 3xx answer (redirects are not followed: a 3xx is an
     * answer). The client is made once, here, and reused by every check.
     */
    public static ProbeCheck http(URI url, Duration timeout) {
        Objects.requireNonNull(url, "url");
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        return () -> {
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException failure) {
                throw new ProbeFailedException("GET " + url + " failed: " + describe(failure));
            }
            if (status < 200 || status >= 400) {
                throw new ProbeFailedException("GET " + url + " answered " + status);
            }
        };
    }

    /** A TCP connection to {@code host}:{@code port}, closed at once. */
    public static ProbeCheck tcp(String host, int port, Duration timeout) {
        Objects.requireNonNull(host, "host");
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), millis);
            } catch (IOException failure) {
                throw new ProbeFailedException("connecting to " + host + ":" + port + " failed: " + describe(failure));
            }
        };
    }

    private static String describe(IOException failure) {
        if (failure instanceof UnknownHostException) {
            return "cannot resolve host " + failure.getMessage();
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}

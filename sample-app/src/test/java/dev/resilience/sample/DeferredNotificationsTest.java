package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's walk-through of deferred notifications: the mail service goes down, notifications are accepted and
 * stored, the application restarts on the same H2 file, the mail service comes back, and every notification is
 * delivered exactly once.
 */
class DeferredNotificationsTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:admin-dev-password".getBytes());
    private static final String VIEWER = "Basic "
            + Base64.getEncoder().encodeToString("viewer:viewer-dev-password".getBytes());

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private String base;

    @AfterEach
    void close() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext start(String... more) {
        List<String> properties = new ArrayList<>(List.of("server.port=0",
                "spring.datasource.url=jdbc:h2:file:" + directory.resolve("deferred-calls"),
                "resilience.retry-later.poll-interval=100ms",
                "resilience.retry-later.instances.notifications.backoff=200ms",
                "resilience.retry-later.instances.notifications.max-backoff=500ms"));
        properties.addAll(List.of(more));
        // As arguments: they must win over application.yml, as --key=value on a command line does.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
                .run(properties.stream().map(property -> "--" + property).toArray(String[]::new));
        contexts.add(context);
        base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        return context;
    }

    @Test
    void notificationsAcceptedWhileTheMailServiceIsDownAreDeliveredOnceAfterARestart() throws Exception {
        ConfigurableApplicationContext first = start();
        post("/sim/mail", "{\"failureRate\": 1.0}", null, 200);
        List<String> ids = new ArrayList<>();
        for (String to : List.of("ada@example.com", "bob@example.com", "cy@example.com")) {
            JsonNode accepted = JSON.readTree(post("/api/notifications",
                    "{\"to\": \"" + to + "\", \"text\": \"Your order shipped\"}", null, 202));
            ids.add(accepted.get("id").asString());
        }
        JsonNode stored = JSON.readTree(get("/actuator/resilience/deferred?size=10"));
        assertThat(stored.get("total").asLong()).isEqualTo(3);
        String storedId = stored.get("calls").get(0).get("id").asString();
        // Discarding is a write: anonymous and viewer users are refused, as for every actuator write.
        post("/actuator/resilience/deferred/" + storedId, "{\"discard\": true}", null, 401);
        post("/actuator/resilience/deferred/" + storedId, "{\"discard\": true}", VIEWER, 403);
        post("/actuator/resilience/deferred/" + storedId, "{\"replay\": 1}", ADMIN, 400);
        assertThat(JSON.readTree(get("/sim/mail/messages")).get("delivered").asInt()).isZero();
        first.close();

        start("sample.simulation.down=mail");
        assertThat(JSON.readTree(get("/actuator/resilience/deferred")).get("total").asLong()).isEqualTo(3);
        post("/sim/mail", "{\"failureRate\": 0}", null, 200);

        JsonNode mailbox = awaitDelivered(3);
        assertThat(mailbox.get("duplicates").asInt()).isZero();
        List<String> delivered = new ArrayList<>();
        mailbox.get("messages").forEach(message -> {
            delivered.add(message.get("id").asString());
            assertThat(message.get("deliveries").asInt()).isEqualTo(1);
        });
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(JSON.readTree(get("/actuator/resilience/deferred")).get("total").asLong()).isZero();
    }

    /** Reads the mailbox until it holds {@code count} messages, for at most {@link #WAIT}. */
    private JsonNode awaitDelivered(int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode mailbox = JSON.readTree(get("/sim/mail/messages"));
            if (mailbox.get("delivered").asInt() >= count || System.nanoTime() > deadline) {
                assertThat(mailbox.get("delivered").asInt()).as("delivered within %s", WAIT).isEqualTo(count);
                return mailbox;
            }
            Thread.sleep(100); // a poll of what the app reports, bounded by WAIT; nothing is assumed of timing
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private String post(String path, String body, String authorization, int status)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(status);
        return response.body();
    }
}

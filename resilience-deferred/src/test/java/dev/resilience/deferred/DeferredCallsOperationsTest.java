package dev.resilience.deferred;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.FakeTime;
import dev.resilience.deferred.DeferredTestApplication.Letter;
import dev.resilience.deferred.DeferredTestApplication.Mailer;
import dev.resilience.deferred.DeferredTestApplication.Recorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What operators see of stored calls: meters, the health component, and the endpoint over real HTTP, on a servlet and
 * on a reactive server.
 */
class DeferredCallsOperationsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    Path directory;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext start(WebApplicationType web, String... properties) {
        return start(List.of(), web, properties);
    }

    private ConfigurableApplicationContext start(List<Class<?>> more, WebApplicationType web, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=jdbc:h2:file:" + directory.resolve("calls") + ";DB_CLOSE_ON_EXIT=FALSE",
                "spring.datasource.username=sa",
                "server.port=0",
                "management.endpoints.web.exposure.include=health,resilience",
                "management.endpoint.health.show-details=always",
                "resilience.retry-later.poll-interval=100ms",
                "resilience.retry-later.health-window=10m",
                "resilience.retry-later.instances.mail.backoff=1m",
                "resilience.retry-later.instances.mail.max-attempts=2"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DeferredTestApplication.class)
                .sources(more.toArray(Class<?>[]::new)).web(web).properties(all.toArray(String[]::new)).run();
        contexts.add(context);
        return context;
    }

    private static void advance(ConfigurableApplicationContext context, Duration duration) {
        context.getBean(FakeTime.class).advance(duration);
        context.getBean(DeferredCallScheduler.class).checkNow();
    }

    private static double meter(MeterRegistry registry, String name, String tag, String value) {
        var search = registry.find(name).tag("name", "mail").tag(tag, value);
        return search.counter() != null ? search.counter().count() : search.gauge().value();
    }

    @Test
    void metersCountWhatBecomesOfCallsAndGaugeTheQueue() throws InterruptedException {
        ConfigurableApplicationContext context = start(WebApplicationType.NONE);
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        Recorder recorder = context.getBean(Recorder.class);
        assertThat(meter(registry, "resilience.deferred.calls", "kind", "stored")).isZero();
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "waiting")).isZero();
        assertThat(registry.get("resilience.deferred.oldest.age").tag("name", "mail").gauge().value()).isZero();

        recorder.down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        context.getBean(Mailer.class).send(new Letter("bob@example.com", 2));
        context.getBean(FakeTime.class).advance(Duration.ofSeconds(30));

        assertThat(meter(registry, "resilience.deferred.calls", "kind", "stored")).isEqualTo(2);
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "waiting")).isEqualTo(2);
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "dead")).isZero();
        assertThat(registry.get("resilience.deferred.oldest.age").tag("name", "mail").gauge().value())
                .isEqualTo(30.0);

        advance(context, Duration.ofSeconds(30)); // the second attempts fail: max-attempts 2, so both are dead
        recorder.awaitCompletions(2, WAIT);
        context.getBean(FakeTime.class).advance(Duration.ofSeconds(1));

        assertThat(meter(registry, "resilience.deferred.calls", "kind", "replayed")).isEqualTo(2);
        assertThat(meter(registry, "resilience.deferred.calls", "kind", "dead")).isEqualTo(2);
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "waiting")).isZero();
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "dead")).isEqualTo(2);
        assertThat(registry.get("resilience.deferred.oldest.age").tag("name", "mail").gauge().value()).isZero();

        recorder.down = false;
        DeferredCalls calls = context.getBean(DeferredCalls.class);
        calls.replayNow(calls.list(0, 1).get(0).id());
        context.getBean(DeferredCallScheduler.class).checkNow();
        recorder.awaitCompletions(3, WAIT);

        assertThat(meter(registry, "resilience.deferred.calls", "kind", "replayed")).isEqualTo(3);
        assertThat(meter(registry, "resilience.deferred.calls", "kind", "succeeded")).isEqualTo(1);
    }

    @Test
    void everyMeterRegistryHasTheMetersWhenThereIsNoComposite() {
        ConfigurableApplicationContext context = start(List.of(TwoRegistries.class), WebApplicationType.NONE,
                "spring.autoconfigure.exclude=org.springframework.boot.micrometer.metrics.autoconfigure."
                        + "CompositeMeterRegistryAutoConfiguration");
        context.getBean(Recorder.class).down = true;

        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));

        for (String name : List.of("first", "second")) {
            MeterRegistry registry = context.getBean(name, MeterRegistry.class);
            assertThat(meter(registry, "resilience.deferred.calls", "kind", "stored")).as(name).isEqualTo(1);
            assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "waiting")).as(name)
                    .isEqualTo(1);
        }
    }

    /** Two registries and no composite (one primary, for Boot's own single-registry users): binders bind to each. */
    @Configuration(proxyBeanMethods = false)
    static class TwoRegistries {

        @Bean
        @Primary
        SimpleMeterRegistry first() {
            return new SimpleMeterRegistry();
        }

        @Bean
        SimpleMeterRegistry second() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void gaugesShareOneReadingOfTheTablePerSecond() {
        ConfigurableApplicationContext context = start(WebApplicationType.NONE);
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        context.getBean(Recorder.class).down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "waiting")).isEqualTo(1);

        context.getBean(Mailer.class).send(new Letter("bob@example.com", 2));

        // Within the same second the reading is reused: no query saw the second call yet.
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "waiting")).isEqualTo(1);
        context.getBean(FakeTime.class).advance(DeferredQueue.FRESH_FOR);
        assertThat(meter(registry, "resilience.deferred.queue.depth", "state", "waiting")).isEqualTo(2);
    }

    @Test
    void healthIsDegradedWhileACallBecameDeadWithinTheWindowAndUpOnceItIsDiscarded() throws InterruptedException {
        ConfigurableApplicationContext context = start(WebApplicationType.NONE);
        HealthIndicator health = context.getBean("deferredCallsHealthIndicator", HealthIndicator.class);
        Recorder recorder = context.getBean(Recorder.class);
        DeferredCalls calls = context.getBean(DeferredCalls.class);
        recorder.down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        context.getBean(Mailer.class).send(new Letter("bob@example.com", 2));
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");

        advance(context, Duration.ofMinutes(1));
        recorder.awaitCompletions(2, WAIT);
        context.getBean(FakeTime.class).advance(Duration.ofSeconds(1));

        assertThat(health.health().getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(health.health().getDetails().get("instances").toString())
                .contains("mail={waiting=0, dead=2, deadWithinWindow=2");

        calls.discard(calls.list(0, 1).get(0).id());
        context.getBean(FakeTime.class).advance(Duration.ofSeconds(1));
        assertThat(health.health().getStatus().getCode()).isEqualTo("DEGRADED");

        context.getBean(FakeTime.class).advance(Duration.ofMinutes(10)); // the window passed: acknowledged by time
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(health.health().getDetails().get("instances").toString()).contains("dead=1, deadWithinWindow=0");
    }

    /** The same operations and answers on a servlet (Spring MVC) and on a reactive (WebFlux) server. */
    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = {"SERVLET", "REACTIVE"})
    void endpointListsPagesShowsReplaysAndDiscardsOverHttp(WebApplicationType web) throws Exception {
        ConfigurableApplicationContext context = start(web);
        String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                + "/actuator/resilience/deferred";
        Recorder recorder = context.getBean(Recorder.class);
        recorder.down = true;
        for (int i = 1; i <= 3; i++) {
            context.getBean(Mailer.class).send(new Letter("user" + i + "@example.com", i));
        }

        JsonNode first = JSON.readTree(get(base + "?page=0&size=2", 200));
        JsonNode second = JSON.readTree(get(base + "?page=1&size=2", 200));
        assertThat(first.get("total").asLong()).isEqualTo(3);
        assertThat(first.get("calls")).hasSize(2);
        assertThat(second.get("calls")).hasSize(1);
        String id = first.get("calls").get(0).get("id").asString();
        assertThat(JSON.readTree(get(base + "/" + id, 200)).get("arguments").asString()).contains("user");
        assertThat(get(base + "/mail:0:nothing", 404)).contains("no stored call with id 'mail:0:nothing'");
        assertThat(get(base + "?size=501", 400)).contains("'size' must be a whole number from 1 to 500");
        assertThat(get(base + "?page=x", 400)).contains("'page' must be a whole number from 0; it is 'x'");

        assertThat(post(base + "/" + id, "{\"replay\": \"yes\"}", 400)).contains("{\\\"replay\\\": true}");
        assertThat(post(base + "/" + id, "[1]", 400)).contains("the body must be a JSON object");
        assertThat(post(base + "/mail:0:nothing", "{\"discard\": true}", 404)).contains("no stored call");
        assertThat(context.getBean(DeferredCalls.class).count()).isEqualTo(3);

        recorder.down = false;
        post(base + "/" + id, "{\"replay\": true}", 200);
        recorder.awaitCompletions(1, WAIT);
        assertThat(recorder.deliveriesById).containsOnlyKeys(id);

        String other = second.get("calls").get(0).get("id").asString();
        assertThat(post(base + "/" + other, "{\"discard\": true}", 200)).contains("\"discarded\":true");
        assertThat(JSON.readTree(get(base, 200)).get("total").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = {"SERVLET", "REACTIVE"})
    void endpointWritesAreRefusedLikeTheOtherWritesWhenTheEndpointIsReadOnly(WebApplicationType web)
            throws Exception {
        ConfigurableApplicationContext context = start(web,
                "management.endpoint.resilience.access=read-only");
        String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                + "/actuator/resilience";
        context.getBean(Recorder.class).down = true;
        context.getBean(Mailer.class).send(new Letter("ada@example.com", 1));
        String id = context.getBean(DeferredCalls.class).list(0, 1).get(0).id();

        post(base + "/deferred/" + id, "{\"discard\": true}", 405);
        post(base + "/circuitbreakers/mailserver", "{\"state\": \"FORCED_OPEN\"}", 405);

        assertThat(context.getBean(DeferredCalls.class).count()).isOne();
        get(base + "/deferred/" + id, 200);
    }

    private String get(String uri, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(status);
        return response.body();
    }

    private String post(String uri, String body, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", uri, response.body()).isEqualTo(status);
        return response.body();
    }
}

package dev.resilience.redis;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Degradable;
import dev.resilience.autoconfigure.control.ControlChange;
import dev.resilience.autoconfigure.control.ControlStore;
import dev.resilience.core.Timing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/** One application of a fleet in a test: a web application with the endpoint exposed, on a given Redis. */
final class Replica implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final ConfigurableApplicationContext context;
    private final int port;

    private Replica(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Starts a replica on Redis at {@code redisPort}, with its own {@code timing} when not null. */
    static Replica start(int redisPort, String keyPrefix, Duration reconcileInterval, Timing timing) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
                "management.endpoints.web.exposure.include=resilience",
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
                "spring.data.redis.timeout=2s",
                "resilience.control.store=redis", "resilience.control.key-prefix=" + keyPrefix,
                "resilience.control.reconcile-interval=" + reconcileInterval.toMillis() + "ms",
                "resilience.circuitbreaker.instances.inventory.failure-rate-threshold=50",
                "resilience.degradation.modes.minimal.level=major",
                "resilience.degradation.modes.minimal.features.recommendations.enabled=false"));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(App.class)
                .properties(properties.toArray(String[]::new));
        if (timing != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("resilienceTiming", timing));
        }
        return new Replica(builder.run());
    }

    /** POSTs {@code json} to the endpoint's {@code path}; answers the status. */
    int post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }

    /** GETs the endpoint's {@code path} as JSON. */
    @SuppressWarnings("unchecked")
    Map<String, Object> get(String path) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            return JSON.readValue(body, Map.class);
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }

    Object breakerState() {
        return get("circuitbreakers/inventory").get("state");
    }

    @SuppressWarnings("unchecked")
    double failureRateThreshold() {
        return ((Number) ((Map<String, Object>) get("circuitbreakers/inventory").get("config"))
                .get("failure-rate-threshold")).doubleValue();
    }

    Object recommendationsEnabled() {
        return get("features/recommendations").get("enabled");
    }

    @SuppressWarnings("unchecked")
    Object degradation(String field) {
        return ((Map<String, Object>) get("").get("degradation")).get(field);
    }

    Services services() {
        return context.getBean(Services.class);
    }

    ControlStore store() {
        return context.getBean(ControlStore.class);
    }

    /** Completes with the next change of {@code key} that arrives from another replica, once it is applied here. */
    CompletableFuture<ControlChange> arrival(String key) {
        CompletableFuture<ControlChange> arrived = new CompletableFuture<>();
        store().subscribe(change -> {
            if (change.key().equals(key)) {
                arrived.complete(change);
            }
        });
        return arrived;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + "/actuator/resilience" + (path.isEmpty() ? "" : "/" + path));
    }

    @Override
    public void close() {
        context.close();
    }

    /** Polls {@code condition} until it holds or {@code within} has passed; answers whether it held. */
    static boolean eventually(Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return true;
    }

    /** The guarded methods of the test application. */
    public static class Services {

        @CircuitBreaker("inventory")
        public String inventory() {
            return "stock";
        }

        @Degradable("recommendations")
        public String recommendations() {
            return "picks";
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Services services() {
            return new Services();
        }
    }
}
